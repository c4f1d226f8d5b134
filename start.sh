#!/bin/sh
# The production start: `deno task start` with Deno itself as this process
# (exec), so that the SIGTERM a container runtime, systemd or `kill` sends to
# it reaches the server, which finishes the requests in flight and exits 0.
# (`npx deno@2.9.6 task start` does not: npm's wrapper dies on the signal and
# leaves Deno running, still serving.) `deno task` forwards SIGTERM and SIGINT
# to the server and exits with it. Deno is the one on PATH when it is 2.9.6,
# else the binary npx installs (found once, at start).
set -eu
cd "$(dirname "$0")"
if command -v deno >/dev/null 2>&1 && deno --version | grep -q '^deno 2\.9\.6 '; then
  deno=deno
else
  deno=$(npx --yes deno@2.9.6 eval 'console.log(Deno.execPath())')
fi
exec "$deno" task start
