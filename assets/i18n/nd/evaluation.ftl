### isiNdebele — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).
### The workshop evaluation form in the participant's portal.

eval-title = Hlola le-workshop
eval-about = { $course }, { $dates }, { $venue }
eval-intro = Impendulo zakho zisiza i-IWSD ukuthuthukisa ama-workshop ayo. Abaqeqeshi babona kuphela isifinyezo sempendulo zabo bonke, hatshi ibizo lakho.
eval-scale = Nika amamaki kusukela ku-1 (kubi kakhulu) kusiya ku-5 (kuhle kakhulu).
eval-overall = I-workshop yonke
eval-trainers = Abaqeqeshi
eval-venue = Indawo
eval-materials = Izinto zokufunda
eval-topics = Izihloko
eval-topics-hint = Ungatshiya isihloko singelamamaki.
eval-topic = Isihloko: { $topic }
eval-rating-1 = 1, kubi kakhulu
eval-rating-2 = 2, kubi
eval-rating-3 = 3, kulingene
eval-rating-4 = 4, kuhle
eval-rating-5 = 5, kuhle kakhulu
eval-not-rated = Akulamamaki
eval-most-useful = Yikuphi okukusize kakhulu?
eval-suggestions = I-IWSD ingenzani ngcono?
eval-comment-hint = Akubophelelanga.
eval-submit = Thumela ukuhlola kwami
eval-errors = Ake uhlole impendulo ezitshengisiweyo ngezansi.
eval-error-rating = Khetha amamaki kusukela ku-1 kusiya ku-5.
eval-error-comment = Le mpendulo yinde kakhulu kumbe ilezinhlamvu ezingeke zigcinwe. Ake uyifinyeze kumbe uyibhale kutsha.
eval-thanks-title = Siyabonga
eval-thanks-text = Ukuhlola kwakho kwe-{ $course } sekwamukelwe.
eval-back = Buyela kuma-workshop ami
eval-closed-title = Le-workshop ayingeke ihlolwe
eval-already = Usuyihlolile le-workshop. Umfundi ngamunye uhlola i-workshop kanye kuphela.
eval-not-yet = Le-workshop ingahlolwa kusukela ngelanga layo lokucina, { $date }.
eval-not-attended = Ngabafundi abeza okungenani ilanga elilodwa kuphela abangahlola le-workshop.
eval-cancelled = Le-workshop yakhanselwa, ngakho akulalutho lokuhlolwa.
