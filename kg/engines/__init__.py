"""Optional engines that map `kg.engine.extract_batch` over a corpus (Dask: `pip install crypto-kg[dask]`)."""
