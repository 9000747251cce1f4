// The staff console's own strings (English and Hindi); the shared ones are in i18n.js.
import { addStrings } from "/js/i18n.js";

export const staffStrings = Object.freeze({
  en: Object.freeze({
    adminHeading: "Administration",
  }),
  hi: Object.freeze({
    adminHeading: "प्रशासन",
  }),
});

addStrings(staffStrings);
