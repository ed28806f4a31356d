// INSEE codes of the French regions (code officiel géographique, 2016 map).
const regionNames: Record<string, string> = {
  "01": "Guadeloupe",
  "02": "Martinique",
  "03": "Guyane",
  "04": "La Réunion",
  "06": "Mayotte",
  "11": "Île-de-France",
  "24": "Centre-Val de Loire",
  "27": "Bourgogne-Franche-Comté",
  "28": "Normandie",
  "32": "Hauts-de-France",
  "44": "Grand Est",
  "52": "Pays de la Loire",
  "53": "Bretagne",
  "75": "Nouvelle-Aquitaine",
  "76": "Occitanie",
  "84": "Auvergne-Rhône-Alpes",
  "93": "Provence-Alpes-Côte d'Azur",
  "94": "Corse",
};

/** Returns the name of the region with INSEE code `code`, or the code itself. */
export function regionName(code: string | null | undefined): string {
  if (!code) return "—";
  return regionNames[code] ?? code;
}

/** The regions as [INSEE code, name] pairs, by name. */
export const regionOptions: [string, string][] = Object.entries(regionNames).sort((a, b) => a[1].localeCompare(b[1], "fr"));
