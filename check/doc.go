// Package check will own exhaustive, breadth-first exploration of a bounded
// system of disks and servers, the model's properties checked on every state
// and transition, and shortest counterexamples.
package check
