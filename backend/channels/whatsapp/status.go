package whatsapp

// failureReasons names the WhatsApp Cloud API error codes a "failed" status
// webhook carries that a person can act on, as stable codes the UI words in
// its language (Meta's title and details stay with the status, in English,
// for support). Codes from Meta's error code reference.
var failureReasons = map[int]string{
	131047: "window-closed",         // re-engagement: more than 24 h since the customer wrote; a template may be sent
	131026: "undeliverable",         // no WhatsApp on the number, old app version, or the customer blocked the business
	131049: "ecosystem-limit",       // Meta held back a marketing message to protect engagement
	131050: "marketing-opted-out",   // the customer stopped marketing messages
	131051: "unsupported-type",      // the message type is not supported
	131052: "media-download-failed", // the customer's media could not be downloaded
	131053: "media-upload-failed",   // the media sent could not be uploaded
	131042: "payment-issue",         // the business account's payment method has a problem
	131031: "account-locked",        // the business account is locked
	130472: "experiment",            // the customer's number is part of a Meta experiment
	131021: "recipient-is-sender",   // the recipient is the business number itself
	130429: "rate-limited",          // throughput limit
	131056: "rate-limited",          // too many messages to the same customer
	131048: "spam-limit",            // the number is restricted for spam
	132000: "template-params",       // the template's parameter count does not match
	132001: "template-missing",      // the template does not exist in that language
	132015: "template-paused",       // the template was paused for low quality
	132016: "template-disabled",     // the template was disabled
	131000: "unknown",               // Meta's own "something went wrong"
}

// FailureReasons lists every reason code FailureReason may give.
func FailureReasons() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range failureReasons {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// FailureReason gives the stable code of a failed status's error code, or ""
// when Meta's code is not one the UI words (it then shows Meta's text).
func FailureReason(code int) string { return failureReasons[code] }
