{
  "seed": 20260205,
  "plugins": ["../build/lib@NAME@.so"],
  "sources": [
    {"format": "scenario"}
  ],
  "venue": {"entry_latency": "2ms", "response_latency": "2ms"},
  "account": {"initial_cash": "1000000"},
  "strategies": [
    {"name": "@NAME@", "params": {"instrument": "BTC-PERP", "window": 50, "qty": "1"}}
  ],
  "output": {"dir": "out/@NAME@", "equity_interval": "5m"}
}
