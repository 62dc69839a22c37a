package oinp

import (
	"slices"
	"strings"

	"dossier/domain"
)

// Place is one of Ontario's named places in the tables: a municipality,
// a community inside one, or a region (a regional municipality, a county,
// a district or a single-tier city), and whether it is in the Greater
// Toronto Area.
type Place struct {
	// Name is the place as the tables spell it ("Unionville").
	Name string
	// Municipality is the municipality it is, or is in ("Markham"); empty
	// for a region.
	Municipality string
	// Region is its region ("York", "Toronto", "Niagara").
	Region string
	InGTA  bool
	// region: the place is a region, not a municipality; community: a
	// place inside its municipality, not one of its names.
	region, community bool
}

// IsRegion reports whether the place is a region (Durham, Niagara), not
// a municipality or a community.
func (p Place) IsRegion() bool { return p.region }

// Text is what a picked suggestion writes in the field: the name, and
// for a community its municipality ("Unionville, Markham"; "Durham, West
// Grey"), which Resolve reads back to the same place. A region is
// written by the edge, in the person's language ("Durham Region",
// "Région de Durham").
func (p Place) Text() string {
	if p.community {
		return p.Name + ", " + p.Municipality
	}
	return p.Name
}

// Label is how a suggestion shows the place: the name, with the
// municipality and region it is in when they differ from it
// ("Unionville (Markham, York)", "Durham (West Grey, Grey)").
func (p Place) Label() string {
	var in []string
	if p.Municipality != "" && p.Municipality != p.Name {
		in = append(in, p.Municipality)
	}
	if p.Region != "" && p.Region != p.Name && p.Region != p.Municipality {
		in = append(in, p.Region)
	}
	if len(in) == 0 {
		return p.Name
	}
	return p.Name + " (" + strings.Join(in, ", ") + ")"
}

// placeLabels is the places' labels, one list ("Durham Region, Durham
// (West Grey, Grey)").
func placeLabels(ps []Place) string {
	var out []string
	for _, p := range ps {
		l := p.Label()
		if p.region {
			l = p.Name + " Region"
		}
		out = append(out, l)
	}
	return strings.Join(out, ", ")
}

// Why a place is not resolved.
const (
	PlaceEmpty     = "empty"     // nothing entered
	PlaceUnknown   = "unknown"   // no place of the tables reads so
	PlaceAmbiguous = "ambiguous" // places in and outside the GTA read so
)

// Resolution is where a place written by a person lies for the GTA rule:
// InGTA is Yes (with the region and municipality), No, or Unanswered
// when it is not known, with Why (PlaceEmpty, PlaceUnknown,
// PlaceAmbiguous) and, when ambiguous, the places it could be.
type Resolution struct {
	InGTA        YesNo
	Region       string
	Municipality string
	Why          string
	Candidates   []Place
}

// placeIndex is the tables' places by key (placeKey of every name).
type placeIndex struct {
	places []Place
	byKey  map[string][]int
	keys   []string          // sorted, for suggestions
	names  map[string]string // each key's name as the table spells it
}

func (x *placeIndex) add(p Place, names ...string) {
	x.places = append(x.places, p)
	i := len(x.places) - 1
	for _, name := range names {
		key, _, _ := placeKey(name)
		if key == "" || slices.Contains(x.byKey[key], i) {
			continue
		}
		if x.byKey[key] == nil {
			x.keys = append(x.keys, key)
			x.names[key] = name
		}
		x.byKey[key] = append(x.byKey[key], i)
	}
}

// parsePlaces reads the places table (see assets/oinp/ontario-places.txt).
func parsePlaces(b []byte) (*placeIndex, error) {
	x := &placeIndex{byKey: map[string][]int{}, names: map[string]string{}}
	var region string
	var inGTA bool
	err := eachLine(b, func(n int, line string) error {
		if head, ok := strings.CutPrefix(line, "["); ok {
			head, ok = strings.CutSuffix(head, "]")
			area, name, _ := strings.Cut(head, " ")
			region, inGTA = strings.TrimSpace(name), area == "gta"
			if !ok || region == "" || area != "gta" && area != "outside" {
				return domain.Errorf(ErrTable, "ontario-places", n)
			}
			x.add(Place{Name: region, Region: region, InGTA: inGTA, region: true}, region)
			return nil
		}
		fields := strings.Split(line, "|")
		for len(fields) < 3 {
			fields = append(fields, "")
		}
		municipality := strings.TrimSpace(fields[0])
		if region == "" || len(fields) > 3 || municipality == "" {
			return domain.Errorf(ErrTable, "ontario-places", n)
		}
		x.add(Place{Name: municipality, Municipality: municipality, Region: region, InGTA: inGTA},
			append([]string{municipality}, splitList(fields[1])...)...)
		for _, c := range splitList(fields[2]) {
			x.add(Place{Name: c, Municipality: municipality, Region: region, InGTA: inGTA, community: true}, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(x.keys)
	return x, nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Resolve reads where a place written by a person lies for the GTA rule,
// in a province ("ON", or empty when not given). It reads the ways people
// write a place: ", ON", ", Ontario", "(Ontario)", a postal code, "City
// of", "Town of", "Township of", "Ville de", "Canton de", "Region of",
// "Région de", accents, case, hyphens and spaces, "St." for "Saint", and
// "Community, Municipality" (each part is read; they must agree). A place
// in another province is outside the GTA. A place the tables do not know,
// or one read as places both in and outside the GTA (Durham: the region,
// or the community in West Grey), is not known: never outside.
func (t Tables) Resolve(text, province string) Resolution {
	if strings.TrimSpace(text) == "" {
		return Resolution{Why: PlaceEmpty}
	}
	if p := strings.ToUpper(strings.TrimSpace(province)); p != "" && p != "ON" {
		return Resolution{InGTA: No}
	}
	if t.places == nil {
		return Resolution{Why: PlaceUnknown}
	}
	// Each part that names places narrows where the place may be: in the
	// GTA, outside, or either (Durham); "Durham, West Grey" is outside.
	var found []Place
	inside, outside, named, elsewhere := true, true, false, false
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(",;/()[]", r) }) {
		key, upper, other := placeKey(part)
		elsewhere = elsewhere || other
		ps := t.places.lookup(key, upper)
		if len(ps) == 0 {
			continue
		}
		named = true
		found = append(found, ps...)
		inside = inside && slices.ContainsFunc(ps, func(p Place) bool { return p.InGTA })
		outside = outside && slices.ContainsFunc(ps, func(p Place) bool { return !p.InGTA })
	}
	switch {
	case !named && elsewhere:
		return Resolution{InGTA: No}
	case !named:
		return Resolution{Why: PlaceUnknown}
	case inside == outside:
		// Both (a name in and outside the GTA, never narrowed), or
		// neither (parts that disagree: "Toronto, Hamilton").
		return Resolution{Why: PlaceAmbiguous, Candidates: uniquePlaces(found)}
	case outside:
		return Resolution{InGTA: No}
	}
	r := Resolution{InGTA: Yes}
	for _, p := range found {
		if !p.InGTA {
			continue
		}
		if r.Region == "" {
			r.Region = p.Region
		}
		if r.Municipality == "" {
			r.Municipality = p.Municipality
		}
	}
	return r
}

func uniquePlaces(ps []Place) []Place {
	var out []Place
	for _, p := range ps {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// lookup is the places a key names; when the words said a region
// ("Durham Region"), only the regions among them, if any.
func (x *placeIndex) lookup(key string, upper bool) []Place {
	var all, regions []Place
	for _, i := range x.byKey[key] {
		p := x.places[i]
		all = append(all, p)
		if p.region {
			regions = append(regions, p)
		}
	}
	if upper && len(regions) > 0 {
		return regions
	}
	return all
}

// Suggest is up to max places whose name begins as text does (read as
// Resolve reads it), shortest names first: what a person picks from as
// they type a work location or an employer's city. A place found by one
// of its other names (a French form: "Grand Sudbury") has that Name.
func (t Tables) Suggest(text string, max int) []Place {
	key, _, _ := placeKey(text)
	if key == "" || t.places == nil {
		return nil
	}
	x := t.places
	start, _ := slices.BinarySearch(x.keys, key)
	var out []Place
	var keys []string
	for _, k := range x.keys[start:] {
		if !strings.HasPrefix(k, key) {
			break
		}
		keys = append(keys, k)
	}
	slices.SortStableFunc(keys, func(a, b string) int { return len(a) - len(b) })
	for _, k := range keys {
		for _, i := range x.byKey[k] {
			p := x.places[i]
			if p.region && slices.ContainsFunc(x.byKey[k], func(j int) bool { return x.places[j].Municipality == p.Name }) {
				continue // the City of Toronto is its own region
			}
			p.Name = x.names[k]
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
		if len(out) >= max {
			return out[:max]
		}
	}
	return out
}

// Words that say what kind of place follows or precedes a name, and are
// not part of it. Folded (no accents, lower case).
var (
	placePrefixes = [][]string{
		{"the", "corporation", "of", "the"}, {"corporation", "of", "the"},
		{"city", "of"}, {"town", "of"}, {"township", "of"}, {"municipality", "of"},
		{"village", "of"}, {"county", "of"}, {"district", "of"},
		{"ville", "de"}, {"ville", "d"}, {"cite", "de"}, {"canton", "de"}, {"canton", "d"},
		{"municipalite", "de"}, {"municipalite", "d"}, {"village", "de"},
		{"comte", "de"}, {"comte", "d"}, {"district", "de"},
	}
	// upperPrefixes say a region follows.
	upperPrefixes = [][]string{
		{"the", "regional", "municipality", "of"}, {"regional", "municipality", "of"},
		{"region", "of"}, {"municipalite", "regionale", "de"}, {"municipalite", "regionale", "d"},
		{"region", "de"}, {"region", "du"}, {"region", "d"},
	}
	placeSuffixes = []string{"township", "twp", "city", "town"}
	upperSuffixes = []string{"region", "county", "district"}
	// Ontario, and Canada, as an address ends.
	ontarioWords = []string{"on", "ont", "ontario", "canada", "ca"}
	// The other provinces and territories, as an address ends.
	otherProvinces = []string{"qc", "quebec", "bc", "ab", "alberta", "sk", "saskatchewan",
		"mb", "manitoba", "nb", "ns", "pe", "pei", "nl", "yt", "yukon", "nt", "nu", "nunavut"}
	// Abbreviations spelled out.
	placeWords = map[string]string{"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
)

// placeKey is how a place name is compared: folded (accents, case and
// punctuation aside), without the words that say what kind of place it
// is, the province or a postal code, its words joined without spaces
// ("Whitchurch Stouffville" and "Whitchurch-Stouffville" are one). upper
// says the words named a region ("Durham Region"); other that they named
// another province.
func placeKey(s string) (key string, upper, other bool) {
	words := strings.Fields(domain.FoldName(s))
	for len(words) > 0 {
		last := words[len(words)-1]
		if slices.Contains(otherProvinces, last) {
			other = true
		} else if !slices.Contains(ontarioWords, last) && !isPostalPart(last) {
			break
		}
		words = words[:len(words)-1]
	}
	for changed := true; changed && len(words) > 1; {
		changed = false
		for _, p := range upperPrefixes {
			if len(words) > len(p) && slices.Equal(words[:len(p)], p) {
				words, upper, changed = words[len(p):], true, true
			}
		}
		for _, p := range placePrefixes {
			if len(words) > len(p) && slices.Equal(words[:len(p)], p) {
				words, changed = words[len(p):], true
			}
		}
		if last := words[len(words)-1]; len(words) > 1 && slices.Contains(upperSuffixes, last) {
			words, upper, changed = words[:len(words)-1], true, true
		} else if len(words) > 1 && slices.Contains(placeSuffixes, last) {
			words, changed = words[:len(words)-1], true
		}
	}
	for i, w := range words {
		if long, ok := placeWords[w]; ok {
			words[i] = long
		}
	}
	return strings.Join(words, ""), upper, other
}

// isPostalPart reports whether a folded word is a Canadian postal code or
// one of its halves (m5v, 2t6, m5v2t6).
func isPostalPart(w string) bool {
	shape := func(w, pattern string) bool {
		if len(w) != len(pattern) {
			return false
		}
		for i := range len(w) {
			letter := 'a' <= w[i] && w[i] <= 'z'
			if letter != (pattern[i] == 'a') {
				return false
			}
		}
		return true
	}
	return shape(w, "a1a") || shape(w, "1a1") || shape(w, "a1a1a1")
}
