package emulator

import "github.com/imagesearch-conformance/conformance/emulator/internal/imaging"

// descriptorBytes is the persisted form of a visual descriptor (the store keeps it opaque).
func descriptorBytes(d imaging.Descriptor) []byte {
	b, err := d.MarshalBinary()
	if err != nil {
		return nil
	}
	return b
}

func descriptorFromBytes(b []byte) (imaging.Descriptor, error) {
	var d imaging.Descriptor
	err := d.UnmarshalBinary(b)
	return d, err
}
