// Place names typed in from common knowledge: sovereign states (with short forms in use),
// major cities, and regions that news writes about.

extension Gazetteer {
    static let countries: [String] = [
        "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Antigua and Barbuda", "Argentina", "Armenia",
        "Australia", "Austria", "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium",
        "Belize", "Benin", "Bhutan", "Bolivia", "Bosnia and Herzegovina", "Bosnia", "Botswana", "Brazil", "Brunei",
        "Bulgaria", "Burkina Faso", "Burundi", "Cambodia", "Cameroon", "Canada", "Cape Verde",
        "Central African Republic",
        "Chad", "Chile", "China", "Colombia", "Comoros", "Congo", "Costa Rica", "Croatia", "Cuba", "Cyprus",
        "Czech Republic", "Czechia", "Denmark", "Djibouti", "Dominica", "Dominican Republic", "Ecuador", "Egypt",
        "El Salvador", "Equatorial Guinea", "Eritrea", "Estonia", "Eswatini", "Ethiopia", "Fiji", "Finland", "France",
        "Gabon", "Gambia", "Georgia", "Germany", "Ghana", "Greece", "Grenada", "Guatemala", "Guinea", "Guinea-Bissau",
        "Guyana", "Haiti", "Honduras", "Hungary", "Iceland", "India", "Indonesia", "Iran", "Iraq", "Ireland", "Israel",
        "Italy", "Ivory Coast", "Jamaica", "Japan", "Jordan", "Kazakhstan", "Kenya", "Kiribati", "Kosovo", "Kuwait",
        "Kyrgyzstan", "Laos", "Latvia", "Lebanon", "Lesotho", "Liberia", "Libya", "Liechtenstein", "Lithuania",
        "Luxembourg", "Madagascar", "Malawi", "Malaysia", "Maldives", "Mali", "Malta", "Marshall Islands", "Mauritania",
        "Mauritius", "Mexico", "Micronesia", "Moldova", "Monaco", "Mongolia", "Montenegro", "Morocco", "Mozambique",
        "Myanmar", "Namibia", "Nauru", "Nepal", "Netherlands", "New Zealand", "Nicaragua", "Niger", "Nigeria",
        "North Korea", "DPRK", "North Macedonia", "Norway", "Oman", "Pakistan", "Palau", "Palestine", "Panama",
        "Papua New Guinea", "Paraguay", "Peru", "Philippines", "Poland", "Portugal", "Qatar", "Romania", "Russia",
        "Rwanda", "Saint Lucia", "Samoa", "San Marino", "Saudi Arabia", "Senegal", "Serbia", "Seychelles",
        "Sierra Leone", "Singapore", "Slovakia", "Slovenia", "Solomon Islands", "Somalia", "South Africa",
        "South Korea", "South Sudan", "Spain", "Sri Lanka", "Sudan", "Suriname", "Sweden", "Switzerland", "Syria",
        "Taiwan", "Tajikistan", "Tanzania", "Thailand", "Timor-Leste", "Togo", "Tonga", "Trinidad and Tobago",
        "Tunisia", "Turkey", "Türkiye", "Turkmenistan", "Tuvalu", "Uganda", "Ukraine", "United Arab Emirates",
        "United Kingdom", "United States", "United States of America", "Uruguay", "Uzbekistan", "Vanuatu",
        "Vatican", "Venezuela", "Vietnam", "Yemen", "Zambia", "Zimbabwe", "Britain", "Great Britain", "England",
        "Scotland", "Wales", "Northern Ireland", "America", "Holland", "The Netherlands", "The Gambia",
        "The Bahamas", "US", "USA", "U.S.", "UK", "UAE", "DRC", "PRC",
    ]

    static let cities: [String] = [
        "The Hague", "Amsterdam", "Rotterdam", "Brussels", "Antwerp", "Moscow", "Saint Petersburg", "St. Petersburg",
        "Kyiv", "Kiev", "Kharkiv", "Odesa", "Odessa", "Lviv", "Dnipro", "Mariupol", "Zaporizhzhia", "Kherson",
        "Bakhmut", "Donetsk", "Luhansk", "Sevastopol", "Minsk", "Warsaw", "Krakow", "Prague", "Bratislava", "Budapest",
        "Vienna", "Berlin", "Munich", "Hamburg", "Frankfurt", "Cologne", "Bonn", "Paris", "Marseille", "Lyon",
        "Strasbourg", "London", "Manchester", "Edinburgh", "Dublin", "Madrid", "Barcelona", "Lisbon", "Porto", "Rome",
        "Milan", "Naples", "Venice", "Florence", "Athens", "Sofia", "Bucharest", "Belgrade", "Zagreb", "Ljubljana",
        "Sarajevo", "Tirana", "Skopje", "Chisinau", "Vilnius", "Riga", "Tallinn", "Helsinki", "Stockholm", "Oslo",
        "Copenhagen", "Reykjavik", "Bern", "Geneva", "Zurich", "Luxembourg City", "Ankara", "Istanbul", "Tbilisi",
        "Yerevan", "Baku", "Tehran", "Baghdad", "Damascus", "Beirut", "Jerusalem", "Tel Aviv", "Gaza", "Amman",
        "Riyadh", "Doha", "Dubai", "Abu Dhabi", "Cairo", "Tripoli", "Tunis", "Algiers", "Rabat", "Casablanca",
        "Lagos", "Abuja", "Nairobi", "Addis Ababa", "Johannesburg", "Cape Town", "Pretoria", "Kinshasa", "Khartoum",
        "Washington", "Washington, D.C.", "New York", "New York City", "Los Angeles", "Chicago", "Houston",
        "San Francisco", "Boston", "Seattle", "Miami", "Atlanta", "Philadelphia", "Detroit", "Dallas", "Denver",
        "Las Vegas", "Toronto", "Montreal", "Vancouver", "Ottawa", "Mexico City", "Havana", "Bogota", "Caracas",
        "Lima", "Santiago", "Buenos Aires", "Sao Paulo", "São Paulo", "Rio de Janeiro", "Brasilia", "Beijing",
        "Shanghai", "Hong Kong", "Shenzhen", "Taipei", "Tokyo", "Osaka", "Seoul", "Pyongyang", "Delhi", "New Delhi",
        "Mumbai", "Bangalore", "Kolkata", "Karachi", "Islamabad", "Lahore", "Kabul", "Dhaka", "Bangkok", "Hanoi",
        "Ho Chi Minh City", "Manila", "Jakarta", "Singapore", "Kuala Lumpur", "Sydney", "Melbourne", "Canberra",
        "Auckland", "Wellington", "Davos", "Crimea", "Donbas", "Donbass",
    ]

    static let regions: [String] = [
        "Europe", "Asia", "Africa", "North America", "South America", "Latin America", "Antarctica", "Oceania",
        "Middle East", "Near East", "Far East", "Eastern Europe", "Western Europe", "Central Europe", "Central Asia",
        "Southeast Asia", "South Asia", "East Asia", "Scandinavia", "Balkans", "Baltics", "Caucasus", "Siberia",
        "Arctic", "Mediterranean", "Black Sea", "Baltic Sea", "North Sea", "Atlantic", "Pacific", "Indian Ocean",
        "Persian Gulf", "Gulf", "Sahel", "Kashmir", "Tibet", "Xinjiang", "Gaza Strip", "West Bank", "Golan Heights",
        "Transnistria", "Abkhazia", "South Ossetia", "Nagorno-Karabakh", "Kaliningrad", "Bavaria", "Catalonia",
        "California", "Texas", "Florida", "Ohio", "Pennsylvania", "Michigan", "Arizona", "Alaska", "Hawaii",
        "Silicon Valley", "Wall Street",
        // The other US states.
        "Alabama", "Arkansas", "Colorado", "Connecticut", "Delaware", "Idaho", "Illinois", "Indiana", "Iowa",
        "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Minnesota", "Mississippi",
        "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "North Carolina",
        "North Dakota", "Oklahoma", "Oregon", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Utah",
        "Vermont", "Virginia", "West Virginia", "Wisconsin", "Wyoming",
    ]

    /// Adjectives of nationality, mapped to the country they point to ("Russian invaders" → Russia).
    static let demonyms: [String: String] = baseDemonyms.merging(moreDemonyms) { base, _ in base }

    private static let baseDemonyms: [String: String] = [
        "North Korean": "North Korea", "South Korean": "South Korea", "Middle Eastern": "Middle East",
        "Russian": "Russia", "Ukrainian": "Ukraine", "American": "US", "British": "United Kingdom",
        "German": "Germany", "French": "France", "Italian": "Italy", "Spanish": "Spain", "Polish": "Poland",
        "Chinese": "China", "Japanese": "Japan", "Korean": "Korea", "Indian": "India", "Turkish": "Turkey",
        "Georgian": "Georgia", "Hungarian": "Hungary", "Slovak": "Slovakia", "Czech": "Czech Republic",
        "Dutch": "Netherlands", "Belgian": "Belgium", "Swedish": "Sweden", "Finnish": "Finland",
        "Norwegian": "Norway", "Danish": "Denmark", "Estonian": "Estonia", "Latvian": "Latvia",
        "Lithuanian": "Lithuania", "Romanian": "Romania", "Bulgarian": "Bulgaria", "Greek": "Greece",
        "Serbian": "Serbia", "Croatian": "Croatia", "Belarusian": "Belarus", "Moldovan": "Moldova",
        "Iranian": "Iran", "Iraqi": "Iraq", "Syrian": "Syria", "Israeli": "Israel", "Palestinian": "Palestine",
        "Egyptian": "Egypt", "Saudi": "Saudi Arabia", "Canadian": "Canada", "Mexican": "Mexico",
        "Brazilian": "Brazil", "Australian": "Australia", "Austrian": "Austria", "Swiss": "Switzerland",
        "Portuguese": "Portugal", "Irish": "Ireland", "Pakistani": "Pakistan", "Afghan": "Afghanistan",
        "Armenian": "Armenia", "Azerbaijani": "Azerbaijan", "Kazakh": "Kazakhstan", "Taiwanese": "Taiwan",
        "Vietnamese": "Vietnam", "Nigerian": "Nigeria", "Venezuelan": "Venezuela", "Argentine": "Argentina",
        "Argentinian": "Argentina", "Slovenian": "Slovenia", "Albanian": "Albania", "Lebanese": "Lebanon",
    ]
}
