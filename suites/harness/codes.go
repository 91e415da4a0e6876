package harness

// NotApplicable explains each code of UpdateImage's error list (ref §2.4) that UpdateImage cannot return:
// the list is a template shared across operations. The reports list them in one table instead of running
// a spec for each.
var NotApplicable = map[string]string{
	"NoCaretSeperator": "legacy '^'-separated body format (ref §7)", "EmptyMeta": "legacy body format (ref §7)",
	"InvalidMetaItem": "legacy body format (ref §7)", "NoPicList": "legacy pic_list body (ref §7)",
	"InvalidPicList": "legacy pic_list body (ref §7)", "NoSpecifiedItemId": "legacy item_id parameter (ref §7)",
	"NoSpecifiedPic": "UpdateImage takes no picture (ref §1.5)", "NoSpecifiedSearchPic": "UpdateImage takes no picture (ref §1.5)",
	"NoSpecifiedAddPic": "UpdateImage takes no picture (ref §1.5)", "NoSpecifiedPicContent": "UpdateImage takes no picture (ref §1.5)",
	"UnsupportedPicFormat": "UpdateImage takes no picture (ref §1.5)", "UnsupportedPicPixels": "UpdateImage takes no picture (ref §1.5)",
	"IncorrectOrientation": "UpdateImage takes no picture (ref §1.5)", "InvalidPicContent": "UpdateImage takes no picture (ref §1.5)",
	"TimeoutForTransferImage": "UpdateImage takes no picture (ref §1.5)",
	"InvalidCategory":         "UpdateImage has no CategoryId (ref §2.1)", "InvalidType": "the Type parameter was removed in 2021 (ref §5.1)",
	"OverflowMaxResultNum": "UpdateImage has no paging (ref §1.6)", "OverflowMaxReturnNum": "UpdateImage has no paging (ref §1.6)",
	"InvalidStartParameter": "UpdateImage has no paging (ref §1.6)", "InvalidNumParameter": "UpdateImage has no paging (ref §1.6)",
	"InvalidFilterClause": "UpdateImage has no Filter (ref §2.1)", "InstanceOverQuota": "UpdateImage never adds an image (ref §2.3)",
}

// BudgetSkipReason is the skip reason of every spec the call cap stopped; the reports count these to tell a
// run that checked almost nothing from a green one.
const BudgetSkipReason = "the run's call budget (" + EnvMaxCalls + ") is exhausted"
