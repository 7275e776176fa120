"""flows: the Prefect flow that runs a release, and the `govtasks` command line."""

from flows.settings import apply_offline_defaults

apply_offline_defaults()
