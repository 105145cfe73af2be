// The en-7 demo package (audio-fixtures/packages/en-7) for the dev preview.
import type { DemoTask } from "./demoContent";

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
