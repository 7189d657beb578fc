# The two commands of the README. Each installs the Debian packages it needs.
.PHONY: demo test build bench deps

deps:
	./scripts/install-deps.sh

## demo: the main job: run Scenarios/fire-alarm-demo.yaml on the embedded stack (two minutes) and write its reports
demo: deps
	swift build -c release --product hearth
	.build/release/hearth run Scenarios/fire-alarm-demo.yaml

## test: the whole suite (unit tests and integration tests against real servers)
test: deps
	./scripts/run-tests.sh

build: deps
	swift build -c release --product hearth

## bench: the client benchmarks against their references (figures in BENCHMARKS.md)
bench: build
	.build/release/hearth bench clients

## env: secrets for the container stack (docker/.env, the mosquitto password file, owner keys); none is committed
.PHONY: env
env:
	./docker/make-env.sh
