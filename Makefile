# The two commands of the README; the logic lives in scripts/.
.PHONY: run test setup lint format

run:  ## install (first time) and start the dashboard on the demo data
	bash scripts/run.sh

test:  ## install (first time) and run ruff and the whole test suite
	bash scripts/test.sh

setup:  ## only create .venv with the runtime and test packages
	bash scripts/setup.sh dev

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .
