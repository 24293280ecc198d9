// The V8 flags the service runs with: `npm start`, the container image, the `golong-reward`
// command, and the tests and benchmarks that start the built service (a test checks that
// package.json and the Dockerfile say the same).
//
// --single-threaded-gc: V8 collects garbage on the thread that allocates, without parallel
// scavenging or concurrent marking and sweeping helper threads. The scoring workers take every
// CPU by default, so the helpers only competed with them: on a GoLongRL step (8,192 long-CoT rows,
// 2 cores, 2 workers) they used ~0.7 s of CPU, a worker's parallel scavenge waited for descheduled
// helpers, and the service's CPU per step fell by about 15 % without them. It must be given at
// start: set at run time (v8.setFlagsFromString) it crashed V8 in a later collection.
export const SERVICE_NODE_FLAGS: readonly string[] = ['--single-threaded-gc'];
