// Clues that a name belongs to a person: a title before it, or a common given name in front.

extension Gazetteer {
    /// Titles and offices written before a name; they are dropped from the entity text.
    static let personTitles: Set<String> = [
        "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Dr", "Dr.", "Prof", "Prof.", "Professor", "Sir", "Dame",
        "Lord", "Lady", "President", "Vice President", "Prime Minister", "Minister", "Chancellor", "Secretary",
        "Secretary General", "Secretary-General", "Senator", "Sen.", "Rep.", "Representative", "Gov.", "Governor",
        "Mayor", "General", "Gen.", "Admiral", "Colonel", "Col.", "Captain", "Capt.", "Lieutenant", "Sergeant",
        "Ambassador", "Judge", "Justice", "Pope", "King", "Queen", "Prince", "Princess", "Sheikh", "Emir",
        "Chairman", "Chairwoman", "Commissioner", "Spokesman", "Spokeswoman", "Spokesperson", "Director",
        "Premier", "Deputy", "Foreign Minister", "Defense Minister", "Defence Minister", "Herr", "Frau",
        "Monsieur", "Madame", "Señor", "Señora", "Father", "Rev.", "Reverend", "Rabbi", "Imam", "Patriarch",
    ]

    /// Common given names; a capitalised pair starting with one is very likely a person.
    static let givenNames: Set<String> = [
        "Aaron", "Adam", "Adrian", "Ahmed", "Alan", "Albert", "Alex", "Alexander", "Alexei", "Alexey", "Alice",
        "Amanda", "Amy", "Andrea", "Andreas", "Andrew", "Andrzej", "Angela", "Anna", "Anne", "Annalena", "Anthony",
        "Antonio", "Antony", "Barack", "Ben", "Benjamin", "Bernie", "Bill", "Boris", "Brian", "Carl", "Carlos",
        "Caroline", "Catherine", "Charles", "Charlotte", "Chris", "Christian", "Christine", "Christopher", "Claire",
        "Daniel", "David", "Dmitry", "Dmitri", "Donald", "Ebrahim", "Elena", "Elizabeth", "Ellen", "Elon", "Emily",
        "Emma", "Emmanuel", "Eric", "Frank", "Friedrich", "Gabriel", "George", "Giorgia", "Hakan", "Hans", "Helen",
        "Henry", "Hillary", "Ivan", "Jack", "Jacob", "James", "Jane", "Jean", "Jeff", "Jennifer", "Jens", "Jessica",
        "Jim", "Joe", "Johann", "John", "Jonathan", "Jose", "José", "Joseph", "Josep", "Juan", "Julia", "Karl",
        "Kamala", "Kaja", "Kate", "Keir", "Kevin", "Kim", "Kristalina", "Lars", "Laura", "Linda", "Lisa", "Lloyd",
        "Luis", "Luke", "Maria", "María", "Marie", "Mario", "Mark", "Martin", "Mary", "Matthew", "Michael",
        "Michel", "Mike", "Mikhail", "Mohammed", "Muhammad", "Nancy", "Narendra", "Natalia", "Nicolas", "Nikolai",
        "Olaf", "Olena", "Oleksandr", "Oleksii", "Olga", "Pablo", "Patrick", "Paul", "Pedro", "Peter", "Petro",
        "Philip", "Pierre", "Rachel", "Recep", "Richard", "Rishi", "Robert", "Roman", "Rutger", "Sarah", "Sergei",
        "Sergey", "Stephen", "Steve", "Steven", "Susan", "Thomas", "Tim", "Tom", "Ursula", "Viktor", "Vladimir",
        "Volodymyr", "Walter", "William", "Xi", "Yulia", "Yuri", "Zoe",
    ]
}
