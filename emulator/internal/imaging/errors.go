package imaging

// Error codes returned by Inspect and ParseRegion. They are the service's own
// error codes (ref §1.5, §8.1); the emulator maps each code to its HTTP status
// and literal message.
const (
	// CodeNoSpecifiedPicContent: PicContent is empty.
	CodeNoSpecifiedPicContent = "NoSpecifiedPicContent"
	// CodeInvalidPicContent: the decoded image is larger than MaxPicBytes.
	CodeInvalidPicContent = "InvalidPicContent"
	// CodeUnsupportedPicFormat: not Base64, not one of the accepted formats,
	// or the image data is corrupt.
	CodeUnsupportedPicFormat = "UnsupportedPicFormat"
	// CodeUnsupportedPicPixels: width or height outside [MinSide, MaxSide].
	CodeUnsupportedPicPixels = "UnsupportedPicPixels"
	// CodeIncorrectOrientation: the image carries an EXIF orientation other than 1.
	CodeIncorrectOrientation = "IncorrectOrientation"
	// CodeInvalidRegion: the Region parameter is malformed or outside the image.
	CodeInvalidRegion = "InvalidRegion"
)

// Error is the typed error returned by this package. Code is one of the Code*
// constants; Detail is a human-readable explanation for logs, never shown to
// clients as the service message.
type Error struct {
	Code   string
	Detail string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Code
	}
	return e.Code + ": " + e.Detail
}

func newError(code, detail string) *Error {
	return &Error{Code: code, Detail: detail}
}
