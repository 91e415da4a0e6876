package emulator

import (
	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// SeedImage is one image SeedDataDir writes: its key and filter attributes, and which of the pictures
// it shows.
type SeedImage struct {
	ProductId, PicName string
	IntAttr            int32
	StrAttr            string
	Picture            int
}

// SeedDataDir writes n images into instance of the data directory dir, as AddImage would store them but
// many per transaction, so a persistent store of a million images is built in a minute (the start-up and
// size benchmarks of cmd/emulator-bench). Each picture (Base64, ref §1.5) is described once; image i gets
// that descriptor nudged by i, so no two images are identical. No emulator may have dir open meanwhile.
func SeedDataDir(dir, instance string, pictures []string, n int, image func(i int) SeedImage) error {
	pics := make([]*imaging.Picture, len(pictures))
	for i, b64 := range pictures {
		p, err := imaging.Inspect(b64, imaging.Options{Crop: true})
		if err != nil {
			return err
		}
		pics[i] = p
	}
	return store.Import(dir, instance, n, func(i int) store.Record {
		im := image(i)
		p := pics[im.Picture%len(pics)]
		d := p.Descriptor
		nudgeInt8(&d.Shape[(i/len(pics))%len(d.Shape)], int8(1+i%3))
		nudgeInt8(&d.Layout[(i/7)%len(d.Layout)], int8(-1-i%2))
		return store.Record{ProductId: im.ProductId, PicName: im.PicName, CategoryId: imaging.PredictCategory(d),
			Region: p.Region, IntAttr: [4]int32{im.IntAttr}, StrAttr: [4]string{im.StrAttr}, Desc: descriptorBytes(d)}
	})
}

// nudgeInt8 adds d to *v, or subtracts it where adding would overflow.
func nudgeInt8(v *int8, d int8) {
	if n := int(*v) + int(d); n >= -127 && n <= 127 {
		*v = int8(n)
	} else {
		*v -= d
	}
}
