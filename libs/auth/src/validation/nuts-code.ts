/** A NUTS code: two-letter country code and up to three more letters or digits (SE22, SE224, FRY10). */
export const NUTS_CODE = /^[A-Z]{2}[0-9A-Z]{1,3}$/;
