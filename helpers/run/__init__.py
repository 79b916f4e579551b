"""Running the workbook: the corpus in, every table and the rendered report out.

* :mod:`helpers.run.command` -- ``python -m helpers run``: the command line;
* :mod:`helpers.run.report` -- run the notebooks headless and write the report folder;
* :mod:`helpers.run.pipeline` -- compute every table of a corpus, stage by stage;
* :mod:`helpers.run.engine` -- the per-article stages in batches (process pool or Dask), cached;
* :mod:`helpers.run.partitions` -- the comparisons within each event, event by event on the engine;
* :mod:`helpers.run.tables` -- a run's tables, each written out as soon as it is final;
* :mod:`helpers.run.cache` -- the on-disk cache of per-article results;
* :mod:`helpers.run.memory` -- Arrow's allocator, and freed memory handed back to the system;
* :mod:`helpers.run.workbook` -- what a notebook calls to get its tables;
* :mod:`helpers.run.paths` -- locations inside the project.
"""
