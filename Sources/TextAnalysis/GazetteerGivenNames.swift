// Common given names from many naming cultures. A capitalised two-to-four word name that starts
// with one of these is very likely a person; context cues can still overrule it ("the town of
// María Elena"), because this is only weak evidence.

extension Gazetteer {
    static let givenNames: Set<String> = english.union(european).union(nordic).union(slavic)
        .union(iberianAndLatinAmerican).union(african).union(asianAndMiddleEastern)

    private static let english: Set<String> = [
        "Aaron", "Adam", "Alan", "Albert", "Alex", "Alexander", "Alice", "Amanda", "Amy", "Andrew", "Angela", "Anne",
        "Anthony", "Antony", "Barack", "Ben", "Benjamin", "Bernie", "Bill", "Brian", "Carl", "Caroline", "Catherine",
        "Charles", "Charlotte", "Chris", "Christine", "Christopher", "Claire", "Daniel", "David", "Donald", "Edward",
        "Elizabeth", "Ellen", "Emily", "Emma", "Eric", "Frank", "George", "Grace", "Hannah", "Helen", "Henry",
        "Hillary", "Jack", "Jacob", "James", "Jane", "Jeff", "Jennifer", "Jessica", "Jim", "Joe", "John", "Jonathan",
        "Joseph", "Julia", "Kamala", "Kate", "Keir", "Kevin", "Laura", "Linda", "Lisa", "Lloyd", "Lucy", "Luke",
        "Mark", "Mary", "Matthew", "Michael", "Mike", "Nancy", "Oliver", "Patrick", "Paul", "Peter", "Philip",
        "Rachel", "Rebecca", "Richard", "Robert", "Ruth", "Samuel", "Sarah", "Simon", "Stephen", "Steve", "Steven",
        "Susan", "Thomas", "Tim", "Tom", "Victoria", "William", "Zoe",
    ]

    private static let european: Set<String> = [
        "Andrea", "Andreas", "Annalena", "Antoine", "Bruno", "Christian", "Claude", "Dieter", "Emmanuel",
        "François", "Friedrich", "Gabriel", "Giorgia", "Giovanni", "Giuseppe", "Hans", "Heinz", "Helmut", "Jean",
        "Johann", "Jürgen", "Karl", "Klaus", "Lena", "Luca", "Lukas", "Marco", "Marie", "Mario", "Markus", "Martin",
        "Matteo", "Michel", "Nicolas", "Olaf", "Pierre", "Rutger", "Sophie", "Stefan", "Thierry", "Ursula", "Walter",
        "Wolfgang", "Yannick", "Élodie", "Hélène", "Isabelle", "Mathilde", "Francesca", "Giulia", "Alessandro",
        "Dimitris", "Kostas", "Yiannis", "Eleni", "Niamh", "Seán", "Siobhan", "Liam", "Conor",
    ]

    private static let nordic: Set<String> = [
        "Anders", "Astrid", "Bjørn", "Björn", "Elin", "Erik", "Freja", "Gustav", "Henrik", "Ingrid", "Jens", "Jonas",
        "Karin", "Kaja", "Lars", "Magnus", "Mette", "Mikael", "Nils", "Ola", "Sanna", "Sigrid", "Sofia", "Sven",
        "Ulf", "Aino", "Juha", "Mika", "Pekka", "Sauli", "Katrín", "Gunnar",
    ]

    private static let slavic: Set<String> = [
        "Alexei", "Alexey", "Andrzej", "Ewa", "Dmitri", "Dmitry", "Donald", "Ivan", "Jarosław", "Katarzyna", "Mikhail",
        "Natalia", "Nikolai", "Olena", "Oleksandr", "Oleksii", "Olga", "Petro", "Roman", "Sergei", "Sergey",
        "Tatiana", "Viktor", "Vladimir", "Volodymyr", "Yulia", "Yuri", "Zuzana", "Petr", "Tomáš", "Milan",
        "Aleksandar", "Dragan", "Ana", "Irina", "Svetlana", "Andriy", "Denys", "Maia",
    ]

    private static let iberianAndLatinAmerican: Set<String> = [
        "Alejandro", "Ana", "Antonio", "Beatriz", "Camila", "Carlos", "Carmen", "Diego", "Eduardo", "Elena",
        "Fernando", "Gabriela", "Isabel", "Javier", "Jorge", "Jose", "José", "Josep", "Juan", "Lucía", "Luis",
        "Luiz", "Manuel", "María", "Maria", "Miguel", "Pablo", "Patricia", "Pedro", "Rafael", "Ricardo", "Rodrigo",
        "Sebastián", "Sofía", "Valentina", "Ximena", "João", "Inês", "Gonçalo", "Marta", "Paula", "Lula",
    ]

    private static let african: Set<String> = [
        "Abebe", "Abiy", "Adebayo", "Akua", "Almaz", "Amara", "Amina", "Ayodele", "Bola", "Chidi", "Chinonso",
        "Chiamaka", "Cyril", "Dawit", "Eliud", "Emeka", "Faith", "Femi", "Folake", "Genzebe", "Haile", "Hiwot",
        "Kofi", "Kwame", "Kenenisa", "Meseret", "Ngozi", "Nnamdi", "Nomvula", "Oluwaseun", "Sipho", "Tendai",
        "Thabo", "Thandi", "Tigist", "Tirunesh", "Uhuru", "Wanjiru", "William", "Yaw", "Yohannes", "Zanele",
        "Aliko", "Bongani", "Kagiso", "Lindiwe", "Mamadou", "Moussa", "Ousmane", "Fatou", "Aminata", "Samia",
    ]

    private static let asianAndMiddleEastern: Set<String> = [
        "Ahmed", "Ali", "Amir", "Aisha", "Ebrahim", "Fatima", "Hakan", "Hassan", "Hussein", "Ibrahim", "Khalid",
        "Layla", "Leila", "Mehmet", "Mohammed", "Mohammad", "Muhammad", "Mustafa", "Omar", "Recep", "Reza", "Yusuf",
        "Zeynep", "Avi", "Benjamin", "Yael", "Noa", "Arjun", "Narendra", "Priya", "Rahul", "Rishi", "Sanjay",
        "Sunita", "Anjali", "Deepak", "Imran", "Shehbaz", "Nawaz", "Wei", "Jing", "Li", "Ming", "Xi",
        "Hiroshi", "Kenji", "Yuki", "Haruki", "Shinzo", "Fumio", "Akira", "Takashi", "Yoshihide", "Ji-hoon",
        "Min-jun", "Seo-yeon", "Jae-in", "Thanh", "Somchai", "Anwar", "Joko", "Ferdinand",
        "Rodrigo", "Kim",
    ]
}
