# Three CPU-bound vCPUs with weights 1:2:1 on one CPU under credit, as
# tests/integration/credit-shares runs them in Bochs.
tsc_hz 50000000
duration 2s
stats_interval 100ms
cpu 1 policy=credit slice=1ms
vcpu one cpu=1 weight=256
vcpu two cpu=1 weight=512
vcpu three cpu=1 weight=256
