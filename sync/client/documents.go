package client

import (
	"context"
	"net/http"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store/programs"
	"dossier/sync"
)

// OpenDocument returns a document of the file of applicant and its
// content, for by (the applicant, their active representative, a program
// officer once the file is submitted): from the desk when it holds it,
// else downloaded from the server, which checks that by may read the file
// and counts the download against by's limit. The desk keeps a download
// (sealed, as everything it stores) only when it is the bytes the file
// lists, by size and SHA-256 as the server measured them when they
// arrived; anything else is refused (applications.ErrDocumentAltered)
// and nothing is kept. A desk with no server (c nil) reads only what it
// holds.
func (c *Client) OpenDocument(ctx context.Context, st programs.Desk, by account.Actor, applicant, id domain.ID) (oinp.Document, []byte, error) {
	doc, content, found, err := st.LocalDocument(by, applicant, id)
	if err != nil || found {
		return doc, content, err
	}
	if c == nil {
		return doc, nil, domain.Errorf(ErrDocumentElsewhere)
	}
	f, err := c.FetchDocument(ctx, applicant, id)
	if err != nil {
		return doc, nil, err
	}
	if doc, err = st.KeepDocument(by, f); err != nil {
		return doc, nil, err
	}
	return doc, f.Content, nil
}

// FetchDocument downloads a document of the file of applicant from the
// server, as the signed-in person, unchecked: OpenDocument checks it and
// keeps it. The answer is named by the request (applicant and id), never
// by what it says itself.
func (c *Client) FetchDocument(ctx context.Context, applicant, id domain.ID) (sync.DocumentFile, error) {
	var f sync.DocumentFile
	if err := c.do(ctx, http.MethodGet, "/v1/files/"+applicant.String()+"/documents/"+id.String(), nil, &f, true); err != nil {
		return sync.DocumentFile{}, err
	}
	f.Applicant, f.ID = applicant, id
	return f, nil
}

// ErrDocumentElsewhere is a document whose content this desk does not
// hold, on a desk with no server to fetch it from.
var ErrDocumentElsewhere = domain.NewCode("sync.document.elsewhere", domain.KindNotFound)
