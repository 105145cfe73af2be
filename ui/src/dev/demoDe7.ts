// The de-7 demo package (audio-fixtures/packages/de-7) for the dev preview.
import type { DemoTask } from "./demoContent";

export const de7Title = "ВПР. Немецкий язык. 7 класс. Демонстрационный вариант";
export const de7Briefing: string[] = [
  "Работа состоит из шести заданий: аудирование, чтение вслух, монолог по фотографии, чтение, грамматика и лексика. На выполнение всей работы даётся 45 минут.",
  "Запись в задании 1 прозвучит два раза. Перед первым прослушиванием у вас будет 45 секунд, чтобы прочитать вопросы.",
  "В заданиях 2 и 3 ваш ответ записывается через микрофон гарнитуры. Запись начнётся сама, когда закончится время подготовки. Перезаписать ответ нельзя.",
  "Буквы ä, ö, ü и ß можно ввести кнопками на экране. Ответы сохраняются сразу. Если что-то пошло не так, поднимите руку и позовите организатора."
];
export const de7Tasks: DemoTask[] = [
  {
    "number": 1,
    "title": "Задание 1. Аудирование",
    "instruction": "Du hörst Lena. Sie erzählt von sich. Welche Aussagen 1.1–1.5 sind richtig (1), falsch (2) oder stehen nicht im Text (3)? Du hörst den Text zweimal.",
    "max_score": 5,
    "content": {
      "kind": "listening",
      "track": "media/listening.wav",
      "duration_s": 28,
      "plays": 2,
      "read_first_s": 45,
      "pause_between_s": 10,
      "options": [
        {
          "label": "1",
          "text": "Richtig"
        },
        {
          "label": "2",
          "text": "Falsch"
        },
        {
          "label": "3",
          "text": "Steht nicht im Text"
        }
      ],
      "items": [
        {
          "id": "1.1",
          "prompt": "Lena wohnt in einer großen Stadt.",
          "options": []
        },
        {
          "id": "1.2",
          "prompt": "Lena fährt mit dem Fahrrad zur Schule.",
          "options": []
        },
        {
          "id": "1.3",
          "prompt": "Lenas Lieblingsfach ist Mathematik.",
          "options": []
        },
        {
          "id": "1.4",
          "prompt": "Lenas Hund heißt Bello.",
          "options": []
        },
        {
          "id": "1.5",
          "prompt": "Am Wochenende spielt Lena Fußball.",
          "options": []
        }
      ]
    }
  },
  {
    "number": 2,
    "title": "Задание 2. Чтение текста вслух",
    "instruction": "Lies den Text zuerst still: Du hast dafür 1,5 Minuten. Dann lies ihn laut vor: Du hast dafür 1,5 Minuten.",
    "max_score": 2,
    "content": {
      "kind": "reading_aloud",
      "text": "In unserer Stadt gibt es einen kleinen Markt. Jeden Samstag kommen Bauern aus den Dörfern und verkaufen Gemüse, Obst, Käse und frisches Brot. Meine Großmutter geht immer sehr früh dorthin, weil dann alles noch frisch ist. Sie kennt fast alle Verkäufer und spricht gern mit ihnen über das Wetter. Manchmal gehe ich mit. Ich trage die schweren Taschen, und sie kauft mir dafür ein großes Stück Apfelkuchen. Für mich ist der Samstag der schönste Tag der Woche.",
      "prep_s": 90,
      "answer_s": 90
    }
  },
  {
    "number": 3,
    "title": "Задание 3. Монолог по фотографии",
    "instruction": "Wähle ein Foto und beschreibe es deinem Freund oder deiner Freundin. Du hast 1,5 Minuten zur Vorbereitung und höchstens 2 Minuten zum Sprechen. Beginne so: „Ich habe Foto Nummer … gewählt.“",
    "max_score": 8,
    "content": {
      "kind": "monologue",
      "photos": [
        {
          "file": "media/park.svg",
          "caption": "Foto 1"
        },
        {
          "file": "media/kitchen.svg",
          "caption": "Foto 2"
        },
        {
          "file": "media/beach.svg",
          "caption": "Foto 3"
        }
      ],
      "plan": [
        "wo und wann das Foto gemacht wurde",
        "wer oder was auf dem Foto ist",
        "was dort passiert",
        "warum du das Foto in deinem Album aufbewahrst",
        "warum du das Foto deinem Freund oder deiner Freundin zeigen möchtest"
      ],
      "prep_s": 90,
      "answer_s": 120
    }
  },
  {
    "number": 4,
    "title": "Задание 4. Чтение",
    "instruction": "Lies die Texte A–E. Welche Überschrift 1–6 passt zu welchem Text? Jede Überschrift passt nur einmal. Eine Überschrift brauchst du nicht.",
    "max_score": 5,
    "content": {
      "kind": "reading",
      "format": "matching",
      "texts": [
        {
          "label": "A",
          "body": "Unser Schulgarten ist mittwochs nach dem Unterricht für alle offen. Im Frühling pflanzen die Schüler Gemüse, im Herbst ernten sie es. Die Köchin kocht damit unser Mittagessen.",
          "title": null
        },
        {
          "label": "B",
          "body": "Max hat zum Geburtstag einen kleinen Hund bekommen. Er heißt Keks. Jeden Morgen geht Max vor der Schule mit ihm spazieren, auch wenn es regnet.",
          "title": null
        },
        {
          "label": "C",
          "body": "Die Stadtbibliothek hat einen neuen Raum für Jugendliche. Dort gibt es bequeme Sessel, Computer und viele Comics. Freitags kommt eine Autorin und erzählt von ihren Büchern.",
          "title": null
        },
        {
          "label": "D",
          "body": "In diesem Winter war der See neben unserem Dorf schon im Dezember gefroren. Familien kamen mit Schlittschuhen und heißem Tee. Der älteste Läufer war zweiundachtzig Jahre alt.",
          "title": null
        },
        {
          "label": "E",
          "body": "Sophie wollte für ihre Eltern kochen. Sie fand ein Rezept für eine Gemüsesuppe, kaufte alles auf dem Markt und überraschte am Abend ihre Familie.",
          "title": null
        }
      ],
      "options": [
        {
          "label": "1",
          "text": "Ein neuer Ort zum Lesen"
        },
        {
          "label": "2",
          "text": "Ein überraschendes Essen"
        },
        {
          "label": "3",
          "text": "Gemüse von Schülern"
        },
        {
          "label": "4",
          "text": "Spaß auf dem Eis"
        },
        {
          "label": "5",
          "text": "Ein neuer Freund zu Hause"
        },
        {
          "label": "6",
          "text": "Eine Reise in die Berge"
        }
      ],
      "items": [
        {
          "id": "4.A",
          "prompt": "Text A",
          "options": []
        },
        {
          "id": "4.B",
          "prompt": "Text B",
          "options": []
        },
        {
          "id": "4.C",
          "prompt": "Text C",
          "options": []
        },
        {
          "id": "4.D",
          "prompt": "Text D",
          "options": []
        },
        {
          "id": "4.E",
          "prompt": "Text E",
          "options": []
        }
      ]
    }
  },
  {
    "number": 5,
    "title": "Задание 5. Грамматика",
    "instruction": "Lies die Sätze. Setze die Wörter in Klammern in der richtigen Form ein (5.1–5.5).",
    "max_score": 5,
    "content": {
      "kind": "grammar",
      "text": "Ein Wochenende auf dem Land",
      "items": [
        {
          "id": "5.1",
          "prompt": "Letztes Wochenende ___ wir zu meinem Onkel aufs Land.",
          "base_word": "FAHREN"
        },
        {
          "id": "5.2",
          "prompt": "Er hat drei ___ und ein altes Pferd.",
          "base_word": "KUH"
        },
        {
          "id": "5.3",
          "prompt": "Das war der ___ Tag des ganzen Sommers.",
          "base_word": "HEIß"
        },
        {
          "id": "5.4",
          "prompt": "Mein Cousin ___ noch nie eine echte Kuh gesehen.",
          "base_word": "HABEN"
        },
        {
          "id": "5.5",
          "prompt": "Am Abend ___ meine Schwester einen langen Brief an ihre Freundin.",
          "base_word": "SCHREIBEN"
        }
      ]
    }
  },
  {
    "number": 6,
    "title": "Задание 6. Лексика",
    "instruction": "Lies die Sätze. Bilde aus dem Wort in Großbuchstaben ein passendes Wort für die Lücke (6.1–6.5).",
    "max_score": 5,
    "content": {
      "kind": "vocabulary",
      "items": [
        {
          "id": "6.1",
          "prompt": "Der Film über Wale war sehr ___.",
          "base_word": "INTERESSE"
        },
        {
          "id": "6.2",
          "prompt": "Unsere ___ hat gesagt, wir sollen Farben mitbringen.",
          "base_word": "LEHRER"
        },
        {
          "id": "6.3",
          "prompt": "Das Wetter war ___, deshalb sind wir zu Hause geblieben.",
          "base_word": "REGEN"
        },
        {
          "id": "6.4",
          "prompt": "Es ist ___, in diesem Fluss zu schwimmen.",
          "base_word": "GEFAHR"
        },
        {
          "id": "6.5",
          "prompt": "Nach dem langen Spiel waren alle sehr ___.",
          "base_word": "MÜDIGKEIT"
        }
      ],
      "text": null
    }
  }
];
