# The two commands of the README. Each installs the Debian packages it needs.
.PHONY: demo test build bench deps

deps:
	./scripts/install-deps.sh

## demo: bring up the embedded stack and send an encrypted reading through MQTT, Redis and PostgreSQL
demo: deps
	swift build -c release --product hearth
	.build/release/hearth check

## test: the whole suite (unit tests and integration tests against real servers)
test: deps
	swift test

build: deps
	swift build -c release --product hearth

## bench: the client benchmarks against their references (figures in BENCHMARKS.md)
bench: build
	.build/release/hearth bench clients

## env: secrets for the container stack (docker/.env, the mosquitto password file, owner keys); none is committed
.PHONY: env
env:
	./docker/make-env.sh
