package demo

// Names of the demo's students: international students at Canadian schools,
// so names of many origins, with the accents and particles that French and
// English records both carry. Invented pairings; no real person is meant.
var givenNames = []string{
	"Élodie", "Mathieu", "Chloé", "Félix", "Léa", "Gabriel", "Zoé", "Émile", "Noémie", "François",
	"Amélie", "Thomas", "Juliette", "Olivier", "Maëlle", "Raphaël", "Anaïs", "Jérôme", "Océane", "Benoît",
	"Emma", "Liam", "Olivia", "Noah", "Charlotte", "Ethan", "Ava", "Lucas", "Sophie", "Owen",
	"Wei", "Xinyi", "Jun", "Mei", "Haoran", "Yuki", "Sakura", "Min-jun", "Ji-woo", "Seo-yeon",
	"Priya", "Arjun", "Ananya", "Rohan", "Aditi", "Vikram", "Fatima", "Omar", "Aisha", "Youssef",
	"Chiamaka", "Oluwaseun", "Ngozi", "Kwame", "Amara", "Tunde", "Adaeze", "Kofi", "Zainab", "Ifeoma",
	"João", "Mariana", "Luíza", "Thiago", "Camila", "Matías", "Sofía", "Diego", "Valentina", "Andrés",
	"Thi Mai", "Minh Anh", "Quốc Bảo", "Ngọc Hân", "Reza", "Shirin", "Darius", "Leila", "Nour", "Karim",
	"Søren", "Ingrid", "Łukasz", "Zuzanna", "Dmytro", "Oksana", "Ayşe", "Mehmet", "Elif", "Giulia",
}

var familyNames = []string{
	"Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
	"Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard", "Boucher",
	"Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc", "Lefebvre", "Poulin",
	"Smith", "Brown", "Wilson", "MacDonald", "Campbell", "Anderson", "O'Connor", "Taylor", "Martin", "Thompson",
	"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
	"Kim", "Park", "Choi", "Tanaka", "Suzuki", "Sato", "Nguyễn", "Trần", "Lê", "Phạm",
	"Patel", "Sharma", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Khan", "Hussain", "Rahman",
	"Okafor", "Adeyemi", "Okonkwo", "Mensah", "Balogun", "Eze", "Nwosu", "Abubakar", "Diallo", "Traoré",
	"Silva", "Santos", "Oliveira", "Pereira", "García", "Rodríguez", "Martínez", "Hernández", "López", "González",
	"Hosseini", "Ahmadi", "Karimi", "Haddad", "Mansour", "Kowalski", "Nowak", "Yılmaz", "Kaya", "Rossi",
	"de la Cruz", "Van der Berg", "D'Amico", "St-Pierre", "Saint-Onge", "Larivière-Côté",
}

var rejectReasons = []string{
	"The student could not be identified from the information given; please contact the DIR's office.",
	"L'étudiant n'a pas pu être identifié à partir des renseignements fournis; veuillez communiquer avec le bureau du RID.",
	"Not enrolled full time for 6 of the last 12 months.",
	"N'est pas inscrit à temps plein depuis au moins 6 des 12 derniers mois.",
	"Enrolled in an ESL-only programme.",
}

var ineligibleReasons = []string{
	"Academic probation since the winter term.",
	"Probation scolaire depuis la session d'hiver.",
	"Studies ended in August.",
	"Études terminées en août.",
}

var deskNotes = []string{
	"Transcript requested from the registrar.",
	"Relevé de notes demandé au registrariat.",
	"Called the student; waiting for the study permit copy.",
	"Appel à l'étudiante; copie du permis d'études attendue.",
	"",
}
