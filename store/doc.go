// Package store keeps a profile in one encrypted bbolt file: requests and
// their queue indexes, accounts and PINs, the outbox of commands waiting for
// the server, and the audit trail. Every exported method that changes
// anything is one transaction: the record, its indexes, the audit entry and
// the outbox entry commit together or not at all.
package store
