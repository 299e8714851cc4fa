"""Scenario sweeps: many scenarios through the study runner as tasks on Dask.

* :mod:`.axes` -- what varies (hydrology, demand growth, variant, HVDC rating,
  contract, an outage held for the season, any ``--set`` key) and the scenario
  points;
* :mod:`.plan` -- a plan from command-line options and a TOML sweep file;
* :mod:`.scenario_task` -- one scenario as one task: its studies through the
  runner, its own files, a marker written last; failures isolated;
* :mod:`.dask_execution` -- in-process, a ``LocalCluster`` or an existing
  cluster (``tcp://HOST:PORT``);
* :mod:`.combine` -- the results along a ``scenario`` dimension, chunked Zarr
  (or NetCDF), read and written chunk by chunk;
* :mod:`.job` -- :func:`~.job.run_sweep`: plan, run, resume, combine, report;
* :mod:`.dashboard_hook` and :mod:`.comparison_page` -- the dashboards' comparison
  of the first scenarios, and a static table of all of them.
"""
