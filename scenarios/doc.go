// Package scenarios will own the YAML scenario format of the simulator, its
// loader and the embedded scenarios (baseline and what-if questions).
package scenarios
