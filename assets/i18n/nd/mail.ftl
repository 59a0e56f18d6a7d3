### isiNdebele — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).
### The mail a participant receives along the way.

mail-level-tot = ukuQeqeshwa kwabaQeqeshi
mail-level-cascade = cascade
mail-level-community = umphakathi

mail-date = { $weekday ->
        [1] uMvulo
        [2] uLwesibili
        [3] uLwesithathu
        [4] uLwesine
        [5] uLwesihlanu
        [6] uMgqibelo
       *[7] iSonto
    } { $date }

mail-greeting = Sawubona { $name },
mail-when = Nini: { $start } kusiya ku-{ $end }
mail-where = Ngaphi: { $venue }
mail-day-by-day = Ilanga ngelanga
mail-day = Ilanga { $day }, { $date }: { $topics }
mail-day-practice = Ilanga { $day }, { $date }: ukuzilolonga lokubuyekeza
mail-sign-off = Ngentlonipho,
mail-team = IWSD Training

mail-confirmation-subject = Indawo yakho iqinisekisiwe: { $course }
mail-confirmation-body = Indawo yakho ku-workshop ye-{ $course } ({ $level }) iqinisekisiwe. Izinsuku zisefayilini yekhalenda enamathiselweyo.
mail-waitlist-subject = Usohlwini lokulinda: { $course }
mail-waitlist-body = I-workshop ye-{ $course } ({ $level }) igcwele, ngakho usohlwini lokulinda enombolweni { $position }. Nxa kungavuleka indawo uzayithola ngokulandelana, njalo sizakubhalela.
mail-promotion-subject = Kuvuleke indawo yakho: { $course }
mail-promotion-body = Izindaba ezinhle: kuvuleke indawo ku-workshop ye-{ $course } ({ $level }) njalo khathesi ngeyakho. Izinsuku zisefayilini yekhalenda enamathiselweyo.
mail-reminder-subject = Isikhumbuzo: { $course } iqala { $date }
mail-reminder-body = Siyakukhumbuza ukuthi i-workshop ye-{ $course } ({ $level }) isizaqala masinyane. Silindele ukukubona.
mail-cancellation-subject = Ikhanseliwe: { $course } kusukela { $date }
mail-cancellation-body = Siyaxolisa: i-workshop ye-{ $course } ({ $level }) ikhanseliwe. Indawo yakho iphelile; sizakwazisa nge-workshop elandelayo.
mail-evaluation-subject = Ibinjani i-{ $course }? Ake usitshele
mail-evaluation-body = Siyabonga ngokuba yingxenye ye-workshop ye-{ $course } ({ $level }). Ake unike amamaki ku-workshop, abaqeqeshi, indawo, izinto zokufunda lesihloko ngasinye — kuthatha imizuzu emibili njalo kusisiza ukuthuthukisa ukuqeqeshwa. Gcwalisa ifomu yokuhlola ku-{ $url } (kumbe unike umqeqeshi wakho ifomu yephepha).

mail-sign-in-subject = Ilinki yakho yokungena ku-IWSD Training
mail-sign-in-open = Vula ilinki le ukuze ubone ama-workshop akho lezitifiketi zakho:
mail-sign-in-once = Isebenza kanye kuphela, okwemizuzu engu-{ $minutes }. Nxa ungayicelanga, ungayinaki le imeyili.

mail-certificate-subject = Isitifiketi sakho: { $course }
mail-certificate-body = Siyakuhalalisela ngokuqeda i-{ $title }. Isitifiketi sakho { $number } sinamathiselwe.
mail-certificate-check = Loba ngubani angahlola ukuthi siqotho kulelikheli: { $url }
mail-reissued-subject = Isitifiketi sakho esilungisiweyo: { $course }
mail-reissued-body = Isitifiketi sakho { $old } se-{ $title } sikhutshwe kutsha njengesitifiketi { $number }, esinamathiselweyo. Isizatho: { $reason }
mail-reissued-use-new = Sicela usebenzise isitifiketi esitsha kusukela khathesi; esidala sesitshengiswa njengesintshintshiweyo nxa sihlolwa. Loba ngubani angahlola esitsha kulelikheli: { $url }
