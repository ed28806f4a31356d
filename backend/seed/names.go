package seed

// Name lists: common French first names by sex (several generations mixed, so
// that ages 19 to 64 get plausible names) and frequent French surnames.
var (
	maleFirstNames = []string{
		"Jean", "Pierre", "Michel", "Philippe", "Alain", "Patrick", "Nicolas", "Christophe",
		"Stéphane", "Laurent", "Frédéric", "Sébastien", "David", "Olivier", "Éric", "Julien",
		"Thierry", "Pascal", "Vincent", "François", "Jérôme", "Guillaume", "Thomas", "Antoine",
		"Maxime", "Alexandre", "Romain", "Jordan", "Mathieu", "Benoît", "Cédric", "Fabrice",
		"Xavier", "Yannick", "Gilles", "Didier", "Bruno", "Hervé", "Lionel", "Ludovic",
		"Kévin", "Anthony", "Florian", "Jonathan", "Quentin", "Hugo", "Lucas", "Théo",
		"Louis", "Léo", "Mehdi", "Karim", "Yassine", "Samir", "Rachid", "Mohamed",
		"Arnaud", "Damien", "Emmanuel", "Franck", "Grégory", "Jérémy", "Loïc", "Mickaël",
		"Rémi", "Sylvain", "Tristan", "Valentin", "Adrien", "Baptiste", "Clément", "Dylan",
	}
	femaleFirstNames = []string{
		"Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie", "Christine",
		"Sandrine", "Stéphanie", "Céline", "Sophie", "Aurélie", "Émilie", "Julie", "Laure",
		"Caroline", "Virginie", "Karine", "Anne", "Hélène", "Claire", "Élodie", "Audrey",
		"Camille", "Laura", "Manon", "Léa", "Chloé", "Sarah", "Pauline", "Marion",
		"Mélanie", "Amandine", "Charlotte", "Lucie", "Justine", "Morgane", "Anaïs", "Océane",
		"Inès", "Yasmine", "Nadia", "Fatima", "Samira", "Leïla", "Agnès", "Brigitte",
		"Corinne", "Delphine", "Florence", "Géraldine", "Laetitia", "Magali", "Muriel", "Patricia",
		"Véronique", "Béatrice", "Cécile", "Emma", "Jade", "Louise", "Margaux", "Clémence",
	}
	// secondFirstNames are appended, sometimes, as a second given name.
	secondMaleNames   = []string{"Marie", "Louis", "Paul", "André", "Jacques", "Henri", "Joseph", "Yves"}
	secondFemaleNames = []string{"Marie", "Anne", "Claire", "Louise", "Hélène", "Jeanne", "Élisabeth", "Françoise"}

	surnames = []string{
		"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois",
		"Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David",
		"Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine",
		"Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc",
		"Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
		"Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
		"Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire",
		"Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly",
		"Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard",
		"Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
		"Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix",
		"Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet",
		"Rolland", "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot",
		"Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin", "Louis", "Deschamps",
		"Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet",
		"Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles",
		"Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé",
		"Schneider", "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost",
		"Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain", "Breton", "Besson",
		"Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré",
		"Benali", "Haddad", "Bensaïd", "Nguyen", "Tran", "Da Silva", "Pereira", "Ferreira",
	}
)

// birthPlace is a commune of birth: the NIR department and commune digits and
// its name. Departments 97x have a two-digit commune.
type birthPlace struct {
	dept, commune, name string
}

// frenchBirthPlaces are prefectures and large towns, weighted by nothing but
// their repetition: the list is only meant to look plausible.
var frenchBirthPlaces = []birthPlace{
	{"75", "056", "Paris"}, {"75", "056", "Paris"}, {"69", "123", "Lyon"}, {"13", "055", "Marseille"},
	{"31", "555", "Toulouse"}, {"33", "063", "Bordeaux"}, {"59", "350", "Lille"}, {"44", "109", "Nantes"},
	{"67", "482", "Strasbourg"}, {"35", "238", "Rennes"}, {"06", "088", "Nice"}, {"34", "172", "Montpellier"},
	{"76", "540", "Rouen"}, {"37", "261", "Tours"}, {"50", "129", "Cherbourg-en-Cotentin"}, {"57", "463", "Metz"},
	{"21", "231", "Dijon"}, {"63", "113", "Clermont-Ferrand"}, {"38", "185", "Grenoble"}, {"42", "218", "Saint-Étienne"},
	{"29", "019", "Brest"}, {"87", "085", "Limoges"}, {"86", "194", "Poitiers"}, {"45", "234", "Orléans"},
	{"80", "021", "Amiens"}, {"54", "395", "Nancy"}, {"14", "118", "Caen"}, {"49", "007", "Angers"},
	{"72", "181", "Le Mans"}, {"01", "053", "Bourg-en-Bresse"}, {"26", "362", "Valence"}, {"84", "007", "Avignon"},
	{"92", "012", "Boulogne-Billancourt"}, {"93", "066", "Saint-Denis"}, {"94", "028", "Créteil"}, {"78", "646", "Versailles"},
	{"91", "228", "Évry-Courcouronnes"}, {"95", "127", "Cergy"}, {"62", "041", "Arras"}, {"51", "454", "Reims"},
	{"25", "056", "Besançon"}, {"64", "445", "Pau"}, {"30", "189", "Nîmes"}, {"83", "137", "Toulon"},
	{"2A", "004", "Ajaccio"}, {"2B", "033", "Bastia"},
	{"971", "20", "Pointe-à-Pitre"}, {"972", "09", "Fort-de-France"}, {"974", "11", "Saint-Denis (La Réunion)"},
}

// foreignBirth is a country of birth: its INSEE code (after "99" in a NIR),
// its ISO 3166-1 alpha-2 code and its French name.
type foreignBirth struct {
	insee, iso, name string
}

var foreignBirths = []foreignBirth{
	{"134", "ES", "Espagne"}, {"139", "PT", "Portugal"}, {"350", "MA", "Maroc"}, {"352", "DZ", "Algérie"},
	{"351", "TN", "Tunisie"}, {"127", "IT", "Italie"}, {"131", "BE", "Belgique"}, {"109", "DE", "Allemagne"},
	{"132", "GB", "Royaume-Uni"}, {"122", "PL", "Pologne"}, {"114", "RO", "Roumanie"}, {"341", "SN", "Sénégal"},
}

// foreignIDs are countries whose workers sometimes come with only a foreign
// identifier (cross-border and posted workers).
var foreignIDs = []foreignBirth{
	{"131", "BE", "Belgique"}, {"109", "DE", "Allemagne"}, {"113", "LU", "Luxembourg"},
	{"140", "CH", "Suisse"}, {"134", "ES", "Espagne"}, {"127", "IT", "Italie"},
}
