### Words shared by every participant-facing page, mail and SMS, in English.
### Message ids are the same in every language folder (a test checks it).

language-name = English
greeting = Hello { $name },
