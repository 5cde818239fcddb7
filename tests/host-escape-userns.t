#!/bin/bash
# tests/host-escape.t again, every container started with --userns.
ESCAPE_USERNS=1 exec "$(dirname "$0")/host-escape.t"
