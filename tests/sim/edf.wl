# edf: a periodic real-time vCPU (2 ms of work every 10 ms) with a
# matching reservation, an I/O-like one (1 ms of work, then 3 ms asleep)
# with 30 % reserved, and a CPU-bound one with 40 %: 90 % in all.
tsc_hz 50000000
duration 1s
stats_interval 100ms
cpu 0 policy=edf
vcpu rt cpu=0 budget=2ms period=10ms run=2ms every=10ms
vcpu io cpu=0 budget=3ms period=10ms run=1ms sleep=3ms
vcpu batch cpu=0 budget=4ms period=10ms
