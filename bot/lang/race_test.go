//go:build race

package lang_test

// budgetScale stretches parseBudget under the race detector, which makes
// this code some ten times slower.
const budgetScale = 10
