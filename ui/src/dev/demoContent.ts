// Task content copied from the demo packages (audio-fixtures/packages/en-7, de-7) for the dev preview.
import type { TaskContent } from "../bindings/TaskContent";

export interface DemoTask { number: number; title: string; instruction: string; max_score: number; content: TaskContent }

export const en7Title = "ВПР. Английский язык. 7 класс. Демонстрационный вариант";
export const en7Briefing: string[] = [
  "Работа состоит из шести заданий: аудирование, чтение вслух, монолог по фотографии, чтение, грамматика и лексика. На выполнение всей работы даётся 45 минут.",
  "Запись в задании 1 прозвучит два раза. Перед первым прослушиванием у вас будет 45 секунд, чтобы прочитать вопросы.",
  "В заданиях 2 и 3 ваш ответ записывается через микрофон гарнитуры. Запись начнётся сама, когда закончится время подготовки. Перезаписать ответ нельзя.",
  "Ответы сохраняются сразу. Если что-то пошло не так, поднимите руку и позовите организатора."
];
export const en7Tasks: DemoTask[] = [
  {
    "number": 1,
    "title": "Задание 1. Аудирование",
    "instruction": "You will hear Tom talking about himself. Decide which of the statements 1.1–1.5 are True (1), False (2) or Not stated (3). You will hear the recording twice.",
    "max_score": 5,
    "content": {
      "kind": "listening",
      "track": "media/listening.wav",
      "duration_s": 35,
      "plays": 2,
      "read_first_s": 45,
      "pause_between_s": 10,
      "options": [
        {
          "label": "1",
          "text": "True"
        },
        {
          "label": "2",
          "text": "False"
        },
        {
          "label": "3",
          "text": "Not stated"
        }
      ],
      "items": [
        {
          "id": "1.1",
          "prompt": "Tom lives in a big city.",
          "options": []
        },
        {
          "id": "1.2",
          "prompt": "Tom helps his grandfather on Saturdays.",
          "options": []
        },
        {
          "id": "1.3",
          "prompt": "Tom's grandfather sells his vegetables at the market.",
          "options": []
        },
        {
          "id": "1.4",
          "prompt": "Anna enjoys reading.",
          "options": []
        },
        {
          "id": "1.5",
          "prompt": "The family will travel to London by car.",
          "options": []
        }
      ]
    }
  },
  {
    "number": 2,
    "title": "Задание 2. Чтение текста вслух",
    "instruction": "You are going to read the text aloud. You have 1.5 minutes to read it silently, then you will have 1.5 minutes to read it aloud.",
    "max_score": 2,
    "content": {
      "kind": "reading_aloud",
      "text": "Every town has its own small wonders. In our town it is the old clock on the railway station. Nobody remembers who built it, but everybody knows its sound. For more than a hundred years it has rung every hour, day and night. Children stop to count the bells on their way to school. Travellers look up at it when they are late for a train. Last year the clock stopped for a week, and the whole town felt strange and quiet. When a young engineer repaired it, people came to the station just to listen to it again.",
      "prep_s": 90,
      "answer_s": 90
    }
  },
  {
    "number": 3,
    "title": "Задание 3. Монолог по фотографии",
    "instruction": "Describe the person in one of the three photos. You have 1.5 minutes to prepare and up to 2 minutes to speak. Use 7–8 sentences. Start with: “I’d like to describe picture …”.",
    "max_score": 8,
    "content": {
      "kind": "monologue",
      "photos": [
        {
          "file": "media/park.svg",
          "caption": "Photo 1"
        },
        {
          "file": "media/kitchen.svg",
          "caption": "Photo 2"
        },
        {
          "file": "media/beach.svg",
          "caption": "Photo 3"
        }
      ],
      "plan": [
        "the place",
        "the action",
        "the person’s appearance",
        "whether you like the picture or not",
        "why"
      ],
      "prep_s": 90,
      "answer_s": 120
    }
  },
  {
    "number": 4,
    "title": "Задание 4. Чтение",
    "instruction": "Read the texts A–E and match them with the headings 1–6. Use each heading only once. There is one heading you do not need.",
    "max_score": 5,
    "content": {
      "kind": "reading",
      "format": "matching",
      "texts": [
        {
          "label": "A",
          "body": "Our school garden is open to everyone on Wednesdays after lessons. Pupils plant vegetables in spring and pick them in autumn. The school cook uses the carrots and beans for our lunches.",
          "title": null
        },
        {
          "label": "B",
          "body": "Max got a puppy for his birthday. The puppy's name is Biscuit. Every morning Max takes him for a walk before school, even when it is raining.",
          "title": null
        },
        {
          "label": "C",
          "body": "The town library has a new room for teenagers. There are comfortable chairs, computers and hundreds of comics. On Fridays a writer comes to talk about her books.",
          "title": null
        },
        {
          "label": "D",
          "body": "This winter the lake near our village froze early. Families came with skates and hot tea. The oldest skater was eighty-two, and the youngest was only four.",
          "title": null
        },
        {
          "label": "E",
          "body": "Lena wanted to cook dinner for her parents. She found a recipe for a vegetable soup, bought everything at the market and surprised her family in the evening.",
          "title": null
        }
      ],
      "options": [
        {
          "label": "1",
          "text": "A new place to read"
        },
        {
          "label": "2",
          "text": "A surprise meal"
        },
        {
          "label": "3",
          "text": "Food grown by pupils"
        },
        {
          "label": "4",
          "text": "Fun on the ice"
        },
        {
          "label": "5",
          "text": "A new friend at home"
        },
        {
          "label": "6",
          "text": "A trip to the mountains"
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
    "instruction": "Read the text. Put the words in brackets into the correct form to fill the gaps 5.1–5.5.",
    "max_score": 5,
    "content": {
      "kind": "grammar",
      "text": "A weekend at the farm",
      "items": [
        {
          "id": "5.1",
          "prompt": "Last weekend we ___ to my uncle's farm.",
          "base_word": "GO"
        },
        {
          "id": "5.2",
          "prompt": "He has got three ___ and a very old horse.",
          "base_word": "SHEEP"
        },
        {
          "id": "5.3",
          "prompt": "It was the ___ day of the whole summer.",
          "base_word": "HOT"
        },
        {
          "id": "5.4",
          "prompt": "My cousin ___ never seen a real cow before.",
          "base_word": "HAVE"
        },
        {
          "id": "5.5",
          "prompt": "Next year we ___ there for the whole month of July.",
          "base_word": "STAY"
        }
      ]
    }
  },
  {
    "number": 6,
    "title": "Задание 6. Лексика",
    "instruction": "Read the sentences. Form a word from the word in capitals that fits the gap 6.1–6.5.",
    "max_score": 5,
    "content": {
      "kind": "vocabulary",
      "items": [
        {
          "id": "6.1",
          "prompt": "The film about whales was really ___.",
          "base_word": "INTEREST"
        },
        {
          "id": "6.2",
          "prompt": "Our ___ told us to bring our sketchbooks.",
          "base_word": "TEACH"
        },
        {
          "id": "6.3",
          "prompt": "The weather was ___ , so we stayed at home.",
          "base_word": "RAIN"
        },
        {
          "id": "6.4",
          "prompt": "It is ___ to swim in this river: the water is very fast.",
          "base_word": "DANGER"
        },
        {
          "id": "6.5",
          "prompt": "She answered all the questions ___ .",
          "base_word": "CORRECT"
        }
      ],
      "text": null
    }
  }
];

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
export const en11Reading: DemoTask = {
  "number": 2,
  "title": "Задание 2. Чтение",
  "instruction": "Read the text and answer questions 2.1–2.5. Choose the correct answer A, B or C.",
  "max_score": 5,
  "content": {
    "kind": "reading",
    "format": "multiple_choice",
    "texts": [
      {
        "label": "1",
        "title": "The Night Train Returns",
        "body": "For decades, night trains were disappearing from Europe. Cheap flights were faster, and railway companies said sleeper carriages cost too much to run. In the last few years, however, the night train has made a surprising comeback. New routes now connect cities such as Vienna, Amsterdam and Paris, and many of them are fully booked in summer.\n\nPart of the reason is climate. A journey by train produces far less carbon dioxide than the same journey by plane, and many young travellers take this seriously. But comfort matters too. Passengers board in the evening in the city centre, sleep in a bed and arrive rested the next morning, without long queues at airport security.\n\nThe new trains are not perfect. Tickets for a private compartment can cost more than a flight, and delays are common because night trains share the tracks with freight trains. Still, railway companies are ordering new carriages, and several governments have promised money to support the routes. For travellers who see the journey as part of the holiday, the night train is once again a dream rather than a memory."
      }
    ],
    "items": [
      {
        "id": "2.1",
        "prompt": "Why did night trains disappear?",
        "options": [
          {
            "label": "A",
            "text": "Passengers disliked sleeping on trains."
          },
          {
            "label": "B",
            "text": "They were expensive to run, and flights were faster."
          },
          {
            "label": "C",
            "text": "Governments closed the routes."
          }
        ]
      },
      {
        "id": "2.2",
        "prompt": "Which cities do the new routes connect, according to the text?",
        "options": [
          {
            "label": "A",
            "text": "Vienna, Amsterdam and Paris"
          },
          {
            "label": "B",
            "text": "Berlin, Rome and Madrid"
          },
          {
            "label": "C",
            "text": "London, Oslo and Prague"
          }
        ]
      },
      {
        "id": "2.3",
        "prompt": "Many young travellers choose night trains partly because …",
        "options": [
          {
            "label": "A",
            "text": "tickets are always cheaper than flights."
          },
          {
            "label": "B",
            "text": "trains are faster than planes."
          },
          {
            "label": "C",
            "text": "they care about the climate."
          }
        ]
      },
      {
        "id": "2.4",
        "prompt": "What is one problem with the new night trains?",
        "options": [
          {
            "label": "A",
            "text": "They often run late."
          },
          {
            "label": "B",
            "text": "They have no beds."
          },
          {
            "label": "C",
            "text": "They leave from the airport."
          }
        ]
      },
      {
        "id": "2.5",
        "prompt": "What does the last sentence suggest?",
        "options": [
          {
            "label": "A",
            "text": "Night trains will soon disappear again."
          },
          {
            "label": "B",
            "text": "Holidays by train are too expensive."
          },
          {
            "label": "C",
            "text": "Some travellers enjoy the journey itself."
          }
        ]
      }
    ],
    "options": []
  }
};
