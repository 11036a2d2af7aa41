//go:build !race

package lang_test

// budgetScale stretches parseBudget under the race detector; without it, none.
const budgetScale = 1
