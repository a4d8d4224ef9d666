// Package bundle is the file format that carries progress from a learner's PC
// to an office on a USB stick or a shared folder, and the receipt that comes
// back.
//
// A bundle (.hocsync) is, after its first line:
//
//	gzip( header line, event lines…, trailer line )   — JSON lines
//
// encrypted with age to the office's X25519 key (the first bytes are then age's
// own header), or left plain when asked, after the line "hocsync-plain/1".
// The trailer holds the number of events and a SHA-256 over every byte of the
// header and event lines, so a bundle that is cut short or changed is refused
// whole. age authenticates the encrypted stream, so an encrypted bundle that
// was changed fails before a single event is read as valid.
//
// A receipt (.hocreceipt) is a small JSON file the office writes after an
// import: which device's records (a range of its sequence numbers) it stored.
// Only a receipt acknowledges records on the device.
package bundle
