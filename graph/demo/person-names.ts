/** First and last names people in the demo organisation are drawn from. */
const firstNames = [
  'Aisha', 'Alex', 'Amara', 'Ana', 'Andrei', 'Anika', 'Ben', 'Camille', 'Carlos', 'Chen', 'Chloe', 'Daniel',
  'Dmitri', 'Elena', 'Emeka', 'Emma', 'Fatima', 'Felix', 'Hana', 'Hugo', 'Ines', 'Isabel', 'Jakub', 'James',
  'Jonas', 'Julia', 'Kai', 'Kenji', 'Lars', 'Layla', 'Leo', 'Lucia', 'Maya', 'Mateo', 'Mei', 'Nadia', 'Nia',
  'Noah', 'Olivia', 'Omar', 'Pablo', 'Priya', 'Rafael', 'Ravi', 'Rosa', 'Sam', 'Sara', 'Sofia', 'Tariq',
  'Theo', 'Tomas', 'Uma', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zara', 'Zoe',
];

const lastNames = [
  'Adeyemi', 'Andersen', 'Bauer', 'Bianchi', 'Brooks', 'Castro', 'Chen', 'Costa', 'Dubois', 'Eriksson',
  'Fischer', 'Garcia', 'Gupta', 'Haddad', 'Hansen', 'Ito', 'Jensen', 'Kim', 'Kowalski', 'Larsen', 'Lopez',
  'Mehta', 'Moreau', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Olsen', 'Patel', 'Petrov', 'Quinn',
  'Rahman', 'Reyes', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Singh', 'Sato', 'Tanaka', 'Torres', 'Varga',
  'Wagner', 'Walsh', 'Weber', 'Wong', 'Yilmaz', 'Zhang',
];

export const personNames = { first: firstNames, last: lastNames };
