package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Fyne's file picker lists its places (Home, Documents, Downloads…) by
// their English names as they are, not through its lang package as it
// does its other words (fynewords.go): in French they stayed English. The
// list is an ordinary widget.List whose callbacks are exported fields, so
// namePlaces wraps them once the picker is on screen: each row is filled
// as Fyne fills it, then its name put in the person's language, and the
// template the list takes its width from holds the longest name, so that
// none is cut.

// placeWords maps the names Fyne gives its places (Fyne 2.7's dialog
// package) to our catalog.
var placeWords = map[string]string{
	"Home":      "fyne.place.home",
	"Computer":  "fyne.place.computer",
	"App Files": "fyne.place.app-files",
	"Desktop":   "fyne.place.desktop",
	"Documents": "fyne.place.documents",
	"Downloads": "fyne.place.downloads",
	"Music":     "fyne.place.music",
	"Pictures":  "fyne.place.pictures",
	"Videos":    "fyne.place.videos",
}

// namePlaces puts the places of the file picker shown in popUp in e's
// language. A later Fyne that lays the picker out otherwise leaves them
// English: TestFrenchHasNoFyneWords finds no list and says so.
func namePlaces(e *Env, popUp fyne.CanvasObject) {
	list := placesList(popUp)
	if list == nil || list.CreateItem == nil || list.UpdateItem == nil {
		return
	}
	longest := ""
	for _, key := range placeWords {
		if name := e.T(key); len([]rune(name)) > len([]rune(longest)) {
			longest = name
		}
	}
	create, update := list.CreateItem, list.UpdateItem
	list.CreateItem = func() fyne.CanvasObject {
		item := create()
		if l := rowLabel(item); l != nil {
			l.Text = longest
		}
		return item
	}
	list.UpdateItem = func(id widget.ListItemID, item fyne.CanvasObject) {
		update(id, item)
		if l := rowLabel(item); l != nil {
			if key, ok := placeWords[l.Text]; ok {
				l.SetText(e.T(key))
			}
		}
	}
	list.Refresh()
	popUp.Refresh()
}

// placesList finds the picker's list of places: the first list on the
// leading side of its split, through the containers Fyne 2.7 nests it in.
func placesList(o fyne.CanvasObject) *widget.List {
	switch o := o.(type) {
	case *widget.List:
		return o
	case *widget.PopUp:
		return placesList(o.Content)
	case *container.Split:
		return placesList(o.Leading)
	case *container.Scroll:
		return placesList(o.Content)
	case *fyne.Container:
		for _, c := range o.Objects {
			if l := placesList(c); l != nil {
				return l
			}
		}
	}
	return nil
}

// rowLabel is the label of one row of the list (an icon and a label).
func rowLabel(o fyne.CanvasObject) *widget.Label {
	switch o := o.(type) {
	case *widget.Label:
		return o
	case *fyne.Container:
		for _, c := range o.Objects {
			if l := rowLabel(c); l != nil {
				return l
			}
		}
	}
	return nil
}
