#!/usr/bin/env bash
# Starts the local server: builds the jars first when they are missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=infra/local/target/leadcycle-local.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml template.yaml shared functions infra/database infra/local docs/openapi.yaml -newer "$jar" \
    \( -name '*.java' -o -name '*.sql' -o -name 'pom.xml' -o -name 'openapi.yaml' -o -name 'template.yaml' \) -not -path '*/target/*' -print -quit)" ]; then
  echo "Building Leadcycle (first run, or sources changed)..."
  ./mvnw -q -B -DskipTests package -pl infra/local -am
fi
exec java -jar "$jar" "$@"
