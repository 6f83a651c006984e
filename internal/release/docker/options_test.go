package docker

import "testing"

// Window 0 is no verification window, as --window 0 is: the library does
// not put its own default in its place.
func TestOptions_WindowZeroIsNoWindow(t *testing.T) {
	o := Options{}
	o.defaults()
	if o.Window != 0 {
		t.Errorf("Window 0 became %v", o.Window)
	}
}
