// More of the world's well-known cities, beyond the capitals and news hubs in GazetteerPlaces.swift:
// regional centres on every continent that news, sport and business copy mention by bare name.

extension Gazetteer {
    static let worldCities: [String] = [
        // Europe
        "Gothenburg", "Göteborg", "Malmö", "Uppsala", "Bergen", "Trondheim", "Aarhus", "Odense", "Turku", "Tampere",
        "Valencia", "Seville", "Bilbao", "Málaga", "Zaragoza", "Turin", "Genoa", "Bologna", "Palermo", "Toulouse",
        "Bordeaux", "Lille", "Nantes", "Stuttgart", "Düsseldorf", "Dortmund", "Leipzig", "Dresden",
        "Hanover", "Nuremberg", "Bremen", "Salzburg", "Graz", "Innsbruck", "Basel", "Lausanne", "Birmingham",
        "Liverpool", "Leeds", "Glasgow", "Bristol", "Cardiff", "Belfast", "Cork", "Utrecht", "Eindhoven", "Ghent",
        "Liège", "Bruges", "Gdansk", "Gdańsk", "Wroclaw", "Wrocław", "Poznan", "Brno", "Debrecen", "Cluj-Napoca",
        "Thessaloniki", "Novi Sad", "Podgorica", "Pristina", "Izmir", "Antalya", "Kazan", "Novosibirsk",
        "Yekaterinburg", "Vladivostok", "Murmansk", "Coimbra", "Faro", "Tartu", "Kaunas",
        // Asia and the Middle East
        "Almaty", "Astana", "Tashkent", "Bishkek", "Dushanbe", "Isfahan", "Basra", "Mosul", "Erbil", "Aleppo",
        "Haifa", "Jeddah", "Mecca", "Medina", "Muscat", "Manama", "Kuwait City", "Sanaa", "Aden", "Chennai",
        "Hyderabad", "Ahmedabad", "Pune", "Jaipur", "Kathmandu", "Colombo", "Yangon", "Phnom Penh", "Vientiane",
        "Surabaya", "Guangzhou", "Chengdu", "Wuhan", "Chongqing", "Tianjin", "Nanjing", "Hangzhou", "Macau",
        "Kaohsiung", "Busan", "Incheon", "Kyoto", "Yokohama", "Nagoya", "Sapporo", "Fukuoka", "Hiroshima",
        "Ulaanbaatar",
        // Africa
        "Alexandria", "Benghazi", "Marrakesh", "Dakar", "Accra", "Abidjan", "Bamako", "Niamey", "Kano", "Douala",
        "Luanda", "Lusaka", "Harare", "Maputo", "Kampala", "Kigali", "Dar es Salaam", "Mombasa", "Kisumu",
        "Eldoret", "Mogadishu", "Durban", "Windhoek", "Gaborone", "Antananarivo",
        // The Americas and Oceania
        "San Diego", "Minneapolis", "New Orleans", "Baltimore", "Pittsburgh", "Nashville",
        "Calgary", "Edmonton", "Winnipeg", "Guadalajara", "Monterrey", "Tijuana", "Guatemala City",
        "Panama City", "Santo Domingo", "San Juan", "Medellín", "Quito", "Guayaquil", "La Paz", "Asunción",
        "Montevideo", "Rosario", "Valparaíso", "Antofagasta", "Concepción", "Arequipa", "Recife", "Fortaleza",
        "Belo Horizonte", "Porto Alegre", "Manaus", "Curitiba", "Perth", "Brisbane", "Adelaide", "Christchurch",
        "Honolulu",
    ]

    /// More adjectives of nationality (they name no place, but tell a name's context); merged into `demonyms`.
    static let moreDemonyms: [String: String] = [
        "Kenyan": "Kenya", "Ethiopian": "Ethiopia", "Chilean": "Chile", "Colombian": "Colombia",
        "Peruvian": "Peru", "Bolivian": "Bolivia", "Ecuadorian": "Ecuador", "Uruguayan": "Uruguay",
        "Paraguayan": "Paraguay", "Cuban": "Cuba", "Ghanaian": "Ghana", "Moroccan": "Morocco",
        "Algerian": "Algeria", "Tunisian": "Tunisia", "Libyan": "Libya", "Sudanese": "Sudan", "Somali": "Somalia",
        "Ugandan": "Uganda", "Tanzanian": "Tanzania", "Rwandan": "Rwanda", "Zambian": "Zambia",
        "Zimbabwean": "Zimbabwe", "Senegalese": "Senegal", "Cameroonian": "Cameroon", "Angolan": "Angola",
        "Mozambican": "Mozambique", "Eritrean": "Eritrea", "Thai": "Thailand", "Indonesian": "Indonesia",
        "Filipino": "Philippines", "Malaysian": "Malaysia", "Singaporean": "Singapore",
        "Bangladeshi": "Bangladesh", "Nepali": "Nepal", "Nepalese": "Nepal", "Mongolian": "Mongolia",
        "Uzbek": "Uzbekistan", "Qatari": "Qatar", "Emirati": "United Arab Emirates", "Kuwaiti": "Kuwait",
        "Jordanian": "Jordan", "Yemeni": "Yemen", "Icelandic": "Iceland", "Maltese": "Malta", "Cypriot": "Cyprus",
        "Bosnian": "Bosnia and Herzegovina", "Montenegrin": "Montenegro", "Kosovar": "Kosovo",
        "Macedonian": "North Macedonia", "Luxembourgish": "Luxembourg", "Scottish": "Scotland",
        "Tibetan": "Tibet", "English": "England", "Welsh": "Wales",
        // Continents, peoples and faiths: adjectives that name no place either ("a Jewish neighbourhood group",
        // "the South Asian country", "Iraqi Shiite pilgrims").
        "European": "Europe", "Asian": "Asia", "African": "Africa", "Arab": "Arab world", "Kurdish": "Kurdistan",
        "Jewish": "", "Muslim": "", "Christian": "", "Catholic": "", "Protestant": "", "Hindu": "", "Sikh": "",
        "Buddhist": "", "Shiite": "", "Shia": "", "Sunni": "", "Latino": "", "Hispanic": "",
    ]
}
