# @NAME@

A tapedeck strategy, kept in its own repository and loaded by `tapedeck` at run time.

| file | what |
|---|---|
| `src/@NAME@.cc` | the strategy: parameters, every callback (commented), its registration |
| `tests/@NAME@_test.cc` | its unit test: a market made in code, run through the engine |
| `configs/@NAME@.json` | a backtest on the built-in 2026-02-05 scenario, loading the plugin |

Build and test against an installed tapedeck (`cmake --install build --prefix P` in tapedeck):

```sh
cmake -S . -B build -DCMAKE_PREFIX_PATH=P
cmake --build build
ctest --test-dir build
```

Run it: `tapedeck run configs/@NAME@.json` (outputs in `out/@NAME@/`), or sweep its
parameters with `tapedeck sweep`. The test kit's helpers are described in its header,
`testkit/strategy_test.h`, under the SDK's include folder.
