# SISERI — every target is one line calling a script in scripts/ or a tool.
# `make` alone lists them. See scripts/*.sh for what each one does in detail.

.DEFAULT_GOAL := help
SHELL := /bin/bash

.PHONY: help run dev build web test test-go test-web test-e2e generate check-generate schema-check schema-release migration lint fmt bench compose-check clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*?## "; print "SISERI — make <target>\n"} /^[a-zA-Z0-9_-]+:.*?## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## Build the SPA and the binary, then serve demo data on SQLite at http://localhost:8080
	@scripts/run.sh

dev: ## Go server (demo data, :8080) + Vite dev server with hot reload (:5173)
	@scripts/dev.sh

build: ## Build the static binary bin/siseri
	CGO_ENABLED=0 go build -o bin/siseri ./backend/cmd/siseri

web: ## Build the SPA into frontend/dist (npm ci when needed; no-op without frontend/package.json)
	@scripts/web.sh

test: ## The whole suite: tools, PostgreSQL, check-generate (with migrations), vet, gofmt, go mod tidy, go test, fuzz, compose, web, e2e
	@scripts/test.sh

test-go: ## Go tests only (on PostgreSQL, started if needed)
	@scripts/test.sh go

test-web: ## Frontend unit tests only
	@scripts/test.sh web

test-e2e: ## Browser tests only (builds the SPA and the binary, Chromium, PostgreSQL)
	@scripts/test.sh e2e

generate: ## Regenerate Ent, entgql, gqlgen and the frontend GraphQL types
	@scripts/generate.sh

check-generate: ## Fail if regenerating changes ent/, graph/, frontend/src/graphql/ (or go.mod/go.sum)
	@scripts/check-generate.sh

schema-check: ## List breaking GraphQL schema changes since the last release; fail on unacknowledged ones
	@scripts/schema-check.sh

schema-release: ## Record the current GraphQL schema as released (graph/schema.released.graphqls)
	@scripts/schema-check.sh release

migration: ## Write the next migration (PostgreSQL + SQLite) from ent/schema: make migration NAME=what_changed
	@scripts/migration.sh "$(NAME)"

lint: ## go vet, gofmt check on hand-written Go, go mod tidy check, frontend lint
	@scripts/lint.sh

fmt: ## gofmt -w the hand-written Go code
	@scripts/fmt.sh

bench: ## Go benchmarks (-benchmem) on PostgreSQL, then 60 s of fuzzing per fuzz target
	@scripts/bench.sh

compose-check: ## Validate docker-compose.yml like `docker compose config` (no docker needed)
	go run ./backend/cmd/composecheck docker-compose.yml

clean: ## Remove bin/, frontend/dist and test reports (keeps the ./data dev database)
	@scripts/clean.sh
