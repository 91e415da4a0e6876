package imaging

import (
	"fmt"
	"os"
	"testing"
)

func TestDebugDiff(t *testing.T) {
	if os.Getenv("SKETCH_EXPERIMENT") == "" {
		t.Skip()
	}
	for _, f := range []string{"/tmp/dbg_orig.jpg", "/tmp/dbg_orig.png", "/tmp/dbg_half.png"} {
		b, _ := os.ReadFile(f)
		c, _ := sniff(b)
		img, _ := decodeImage(c, b)
		th := makeThumb(img, img.Bounds())
		bg, ok := borderLuma(th)
		box, cropped := subjectBox(th)
		fmt.Println(f, bg, ok, box, cropped)
		for y := 0; y < thumbSide; y += 2 {
			line := ""
			for x := 0; x < thumbSide; x++ {
				d := abs32(cellLuma(th, y*thumbSide+x) - bg)
				switch {
				case d > 32:
					line += "#"
				case d > backgroundDiff:
					line += "?"
				default:
					line += "."
				}
			}
			fmt.Println(line)
		}
	}
}
