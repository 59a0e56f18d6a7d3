### chiShona — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).

language-name = chiShona
greeting = Mhoro { $name },
