package contract

// UpdateImageErrors is the error list of UpdateImage in the API metadata, in the order of ref §2.4:
// 41 codes with HTTP 400, 2 with 403, 10 with 500. The list is a template shared across operations, so
// "listed" does not mean "reachable" (ref §2.4).
var UpdateImageErrors = []Error{
	BadRequest, InstanceStatusError, InvalidInstance, NoCaretSeperator, EmptyMeta, InvalidMetaItem, NoPicList,
	InvalidPicList, NoSpecifiedPic, NoSpecifiedSearchPic, InvalidCategory, OverflowMaxResultNum,
	OverflowMaxReturnNum, InvalidStartParameterW, InvalidNumParameterW, NoSpecifiedAddPic, NoSpecifiedItemId,
	InvalidIntAttr, UnsupportedPicFormat, InvalidFilterClause, InstanceOverQuota, IncorrectOrientation,
	UnsupportedPicPixels, SearchTimeout, PicNotExist, NoSpecifiedProductId, NoSpecifiedPicName,
	NoSpecifiedPicContent, InvalidType, InvalidProductId, InvalidPicName, InvalidStrAttr, InvalidCustomContent,
	InvalidPicContent, TimeoutForTransferImage, InvalidIntAttr4, InvalidIntAttr3, InvalidIntAttr2,
	InvalidStrAttr4, InvalidStrAttr3, InvalidStrAttr2,
	NoPermission, DeniedRequest,
	InternalError, NetworkException, RequestTimeout, UnsupportedInstanceType, UnsupportedOperationType,
	ExtractFeatureTimeout, AccessEngineFailed, InternalOssError, InternalSwiftError, InternalTableStoreError,
}
