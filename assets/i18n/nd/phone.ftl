### isiNdebele — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).

portal-phone-link = Ngena ngenombolo yakho yefoni
phone-title = Ngena ngenombolo yakho yefoni
phone-intro = Bhala inombolo yefoni i-IWSD eyaziyo. Sizakuthumelela ikhodi yezinombolo eziyisithupha nge-SMS.
phone-label = Inombolo yefoni
phone-send = Ngithumelela ikhodi
phone-invalid = Le kayisiyo inombolo yefoni. Yibhale njenge 077 123 4567, kumbe ngo + lekhodi yelizwe.
phone-email-instead = Ngena nge-email yakho
code-title = Bhala ikhodi yakho
code-sent = Nxa u-{ $phone } engowomuntu obhalisiweyo, ikhodi yezinombolo eziyisithupha isendleleni nge-SMS. Isebenza okwemizuzu elitshumi.
code-label = Ikhodi ese-SMS
code-submit = Ngena
code-wrong = Ikhodi le ayilunganga, isisetshenzisiwe kumbe isiphelelwe yisikhathi. Khangela i-SMS, kumbe ucele ikhodi entsha.
code-again = Cela ikhodi entsha
