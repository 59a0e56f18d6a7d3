### isiNdebele — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).

privacy-my-data = Ulwazi lwami
privacy-my-data-note = Ungathola ikhophi yakho konke okugcinwa yi-IWSD ngawe: irekhodi lakho, ukubhalisa, ukuba khona, amaphuzu, izitifiketi lemilayezo oyithunyelweyo.
privacy-download-my-data = Thwebula ulwazi lwami
privacy-withdrawn = Lesi sitifiketi sahoxiswa ngesicelo somnikazi waso.
