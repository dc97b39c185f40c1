// Where the app sends people for what it cannot show itself. The project's documentation is
// published with the package; change this base where you publish it.
export const DOCS_BASE = 'https://leastdata.example.eu/docs/';

/** docs/certificates.md, "Verifying independently": checking a certificate without the app or the endpoint. */
export const VERIFY_INDEPENDENTLY = `${DOCS_BASE}certificates.md#verifying-independently`;
