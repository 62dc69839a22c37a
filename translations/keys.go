package translations

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Keys lists, in order, the keys of the catalog that start with prefix: the
// e-mail sender's tests enumerate every letter ("mail.") this way, so that
// a kind added to the catalog is tested without naming it.
func Keys(prefix string) []string {
	var out []string
	for k := range messages[string(English)] {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

var argIndex = regexp.MustCompile(`%\[(\d+)\]`)

// Args is how many arguments the message key takes in this language: the
// highest placeholder it names. A caller with more values than the
// message shows passes only these (fmt would print the rest as extras).
func (t *Translator) Args(key string) int {
	n := 0
	for _, m := range argIndex.FindAllStringSubmatch(messages[string(t.lang)][key], -1) {
		if i, err := strconv.Atoi(m[1]); err == nil && i > n {
			n = i
		}
	}
	return n
}
