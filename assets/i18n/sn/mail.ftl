### chiShona — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).
### The mail a participant receives along the way.

mail-level-tot = Kudzidzisa Vadzidzisi
mail-level-cascade = cascade
mail-level-community = nharaunda

mail-date = { $weekday ->
        [1] Muvhuro
        [2] Chipiri
        [3] Chitatu
        [4] China
        [5] Chishanu
        [6] Mugovera
       *[7] Svondo
    } { $date }

mail-greeting = Mhoro { $name },
mail-when = Rini: { $start } kusvika { $end }
mail-where = Kupi: { $venue }
mail-day-by-day = Zuva nezuva
mail-day = Zuva { $day }, { $date }: { $topics }
mail-day-practice = Zuva { $day }, { $date }: kudzidzira nekudzokorora
mail-sign-off = Nekuremekedza,
mail-team = IWSD Training

mail-confirmation-subject = Nzvimbo yako yasimbiswa: { $course }
mail-confirmation-body = Nzvimbo yako muworkshop ye{ $course } ({ $level }) yasimbiswa. Mazuva ari mufaira rekarenda rakabatanidzwa.
mail-waitlist-subject = Uri pamutsetse wekumirira: { $course }
mail-waitlist-body = Workshop ye{ $course } ({ $level }) yazara, saka uri pamutsetse wekumirira panhamba { $position }. Kana nzvimbo ikavhurika, uchaipiwa nekutevedzana, uye tichakunyorera.
mail-promotion-subject = Nzvimbo yavhurika yako: { $course }
mail-promotion-body = Mashoko akanaka: nzvimbo yavhurika muworkshop ye{ $course } ({ $level }) uye yava yako. Mazuva ari mufaira rekarenda rakabatanidzwa.
mail-reminder-subject = Chiyeuchidzo: { $course } inotanga { $date }
mail-reminder-body = Tinokuyeuchidza kuti workshop ye{ $course } ({ $level }) inotanga munguva pfupi. Tinotarisira kukuona.
mail-cancellation-subject = Yamiswa: { $course } kubva { $date }
mail-cancellation-body = Tine urombo: workshop ye{ $course } ({ $level }) yamiswa. Nzvimbo yako yapera; tichakuzivisa nezveworkshop inotevera.
mail-evaluation-subject = { $course } yanga yakadii? Tiudzeiwo
mail-evaluation-body = Tinotenda nekupinda muworkshop ye{ $course } ({ $level }). Tapota ipa mamakisi kuworkshop, vadzidzisi, nzvimbo, zvinyorwa nemusoro wega wega — zvinotora maminitsi maviri uye zvinotibatsira kuvandudza kudzidzisa. Zadza fomu yeongororo pa{ $url } (kana kuti ipa fomu yepepa kumudzidzisi wako).

mail-sign-in-subject = Link yako yekupinda muIWSD Training
mail-sign-in-open = Vhura link iyi kuti uone maworkshop ako nezvitifiketi zvako:
mail-sign-in-once = Inoshanda kamwe chete, kwemaminitsi { $minutes }. Kana usina kuikumbira, rega email iyi.

mail-certificate-subject = Setifiketi yako: { $course }
mail-certificate-body = Makorokoto nekupedza { $title }. Setifiketi yako { $number } yakabatanidzwa.
mail-certificate-check = Ani nani anogona kuona kuti ndeyechokwadi pakero iyi: { $url }
mail-reissued-subject = Setifiketi yako yakagadziriswa: { $course }
mail-reissued-body = Setifiketi yako { $old } ye{ $title } yabudiswa patsva seSetifiketi { $number }, yakabatanidzwa. Chikonzero: { $reason }
mail-reissued-use-new = Tapota shandisa setifiketi itsva kubva zvino; yekare yava kuratidzwa seyakatsiviwa kana ichiongororwa. Ani nani anogona kuongorora itsva pakero iyi: { $url }
